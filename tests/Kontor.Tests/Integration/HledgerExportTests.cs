using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Integration;

/// <summary>
/// The journal exported in the hledger format and read back by Debian's hledger (an independent implementation of
/// double-entry arithmetic) gives Kontor's trial balance to the grosz: per account and currency (<c>hledger bal</c>)
/// and per account in the book currency (<c>hledger bal -B</c>, the lines' PLN amounts as total costs).
/// </summary>
public abstract class HledgerExportTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task Hledger_recomputes_the_trial_balance_from_the_exported_journal_in_every_currency_and_in_PLN()
    {
        var hledger = FindHledger();
        await BookSomeBusinessAsync();
        var accountant = await app.ClientAsync(Roles.Accountant);

        using var response = await accountant.GetAsync("/api/ledger/export/hledger?to=2026-11-30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var journal = await response.Content.ReadAsStringAsync();
        Assert.Contains("1590.00 EUR @@ 6749.71 PLN", journal);   // the EUR invoice's receivable (VatInPlnTests works it out)
        var file = Path.Combine(Path.GetTempPath(), $"kontor-{Guid.NewGuid():N}.journal");
        await File.WriteAllTextAsync(file, journal);
        try
        {
            var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance?asOf=2026-11-30");
            Assert.True(trialBalance["balanced"]!.GetValue<bool>());

            // Per account and document currency.
            var expected = trialBalance.Arr("rows")
                .Select(r => (Account: r.Str("accountCode"), Currency: r!["debit"]!.Str("currency"), Balance: r.Amount("debit") - r.Amount("credit")))
                .Where(r => r.Balance != 0)
                .ToDictionary(r => (r.Account, r.Currency), r => r.Balance);
            var actual = Csv(await RunAsync(hledger, "-f", file, "bal", "-O", "csv", "--layout=bare"))
                .Where(r => r[0] != "total")
                .ToDictionary(r => (r[0], r[1]), r => decimal.Parse(r[2], CultureInfo.InvariantCulture));
            Assert.Contains(("201", "EUR"), expected.Keys);
            Assert.Equal(expected.OrderBy(p => p.Key), actual.Where(p => p.Value != 0).OrderBy(p => p.Key));

            // Per account in the book currency.
            var expectedPln = trialBalance.Arr("bookRows")
                .Select(r => (Account: r.Str("accountCode"), Balance: r.Amount("debit") - r.Amount("credit")))
                .Where(r => r.Balance != 0)
                .ToDictionary(r => r.Account, r => r.Balance);
            var actualPln = Csv(await RunAsync(hledger, "-f", file, "bal", "-B", "-O", "csv"))
                .Where(r => r[0] != "total")
                .ToDictionary(r => r[0], r => ParsePln(r[1]));
            Assert.Equal(expectedPln.OrderBy(p => p.Key), actualPln.Where(p => p.Value != 0).OrderBy(p => p.Key));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_is_refused()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Get, "/api/ledger/export/hledger?from=2026-11-30&to=2026-11-01");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body!["errors"]!.AsObject().ContainsKey("to"), body.ToJsonString());
    }

    [Fact]
    public async Task Sales_may_not_export_the_books()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        using var response = await sales.GetAsync("/api/ledger/export/hledger");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>PLN and EUR invoices, a correction, payments in both currencies, an overpayment.</summary>
    private async Task BookSomeBusinessAsync()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        foreach (var name in new[] { "nbp-a-2026-11-06_2026-11-12.json", "nbp-a-2026-11-13.json" })
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", name)));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var imported = await accountant.PostAsync("/api/exchange-rates/import?source=nbp", content);
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        }
        app.Clock.SetDate(new DateOnly(2026, 11, 13));
        var sales = await app.ClientAsync(Roles.Sales);
        accountant = await app.ClientAsync(Roles.Accountant);
        var buyer = (await sales.CreatePartyAsync()).Id();
        var other = (await sales.CreatePartyAsync()).Id();
        var first = await sales.CreateAndIssueAsync(buyer, "1234.56", "23");
        await sales.CreateAndIssueAsync(other, "99.99", "8");
        await sales.IssueAsync((await sales.PostCreatedAsync($"/api/invoices/{first.Id()}/corrections",
            new { reason = "Rabat", lines = new[] { new { position = 1, unitPrice = "1000.00" } } })).Id());
        await accountant.PayAsync(other, "150.00");   // more than owed: the rest stays as a credit
        var eur = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId = buyer, currency = "EUR", pricingMode = "Net", saleDate = "2026-11-09",
            lines = new object[]
            {
                new { description = "Licencja", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" },
                new { description = "Szkolenie", quantity = "1", unitPrice = "333.33", vatRateCode = "8" },
            },
        });
        await sales.IssueAsync(eur.Id());
        await accountant.PostCreatedAsync("/api/payments", new { partyId = buyer, date = "2026-11-13", amount = new { amount = "500.00", currency = "EUR" }, reference = "EUR part" });
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    private static decimal ParsePln(string cell)
    {
        if (cell == "0") return 0m;
        Assert.EndsWith(" PLN", cell);
        return decimal.Parse(cell[..^4], CultureInfo.InvariantCulture);
    }

    private static List<string[]> Csv(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)
            .Select(line => line.Split("\",\"").Select(cell => cell.Trim('"')).ToArray())
            .ToList();

    private static string FindHledger() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "hledger")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("hledger is not installed; run ./test.sh, which installs Debian's hledger package.");

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"hledger {string.Join(' ', args)} failed: {await error}");
        return await output;
    }
}

public sealed class SqliteHledgerExportTests(SqliteApp app) : HledgerExportTests<SqliteApp>(app);

public sealed class PostgresHledgerExportTests(PostgresApp app) : HledgerExportTests<PostgresApp>(app);
