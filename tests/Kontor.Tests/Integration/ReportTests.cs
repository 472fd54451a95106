using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Integration;

/// <summary>
/// The reports over one small year of books (2025, PLN), figures worked out by hand. The fixture's database holds
/// only this scenario, so the company-wide totals are exact:
/// <list type="bullet">
/// <item>02.01 capital: Dr 130 / Cr 801 10 000.00 (manual)</item>
/// <item>10.01 Alfa FV A1: net 1 000.00 + VAT 23 % 230.00 = 1 230.00, 14 days → due 24.01</item>
/// <item>01.02 Beta FV B1: net 200.00 + VAT 8 % 16.00 = 216.00, 14 days → due 15.02</item>
/// <item>10.02 Alfa pays 1 230.00 (settles A1)</item>
/// <item>15.02 services: Dr 402 / Cr 130 400.00 (manual)</item>
/// <item>01.03 Alfa FV A2: net 500.00 + VAT 115.00 = 615.00, 30 days → due 31.03</item>
/// <item>10.03 bank fee: Dr 751 / Cr 130 50.00; 20.03 other revenue: Dr 130 / Cr 760 20.00 (manual)</item>
/// <item>01.04 Beta pays 300.00: 216.00 settles B1, 84.00 stays as a credit</item>
/// </list>
/// </summary>
public abstract class ReportTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static readonly ConditionalWeakTable<KontorApp, Task<(Guid Alfa, Guid Beta)>> Scenarios = new();

    private Task<(Guid Alfa, Guid Beta)> ScenarioAsync()
    {
        lock (Scenarios) return Scenarios.GetValue(app, _ => BookTheYearAsync());
    }

    private async Task<(Guid Alfa, Guid Beta)> BookTheYearAsync()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var alfa = (await sales.CreatePartyAsync("Alfa Sp. z o.o.")).Id();
        var beta = (await sales.CreatePartyAsync("Beta S.A.")).Id();
        async Task Manual(string date, string debit, string credit, string amount) =>
            await accountant.PostCreatedAsync("/api/ledger/entries", new
            {
                date, description = $"Test {debit}/{credit}", currency = "PLN",
                lines = new object[] { new { accountCode = debit, debit = amount }, new { accountCode = credit, credit = amount } },
            });
        async Task Issue(Guid party, string date, string net, string rate, int term)
        {
            app.Clock.SetDate(DateOnly.Parse(date, CultureInfo.InvariantCulture));
            await sales.CreateAndIssueAsync(party, net, rate, paymentTermDays: term, issueDate: DateOnly.Parse(date, CultureInfo.InvariantCulture));
        }
        await Manual("2025-01-02", "130", "801", "10000.00");
        await Issue(alfa, "2025-01-10", "1000.00", "23", 14);
        await Issue(beta, "2025-02-01", "200.00", "8", 14);
        await accountant.PayAsync(alfa, "1230.00", new DateOnly(2025, 2, 10));
        await Manual("2025-02-15", "402", "130", "400.00");
        await Issue(alfa, "2025-03-01", "500.00", "23", 30);
        await Manual("2025-03-10", "751", "130", "50.00");
        await Manual("2025-03-20", "130", "760", "20.00");
        await accountant.PayAsync(beta, "300.00", new DateOnly(2025, 4, 1));
        app.Clock.SetDate(KontorApp.DefaultToday);
        return (alfa, beta);
    }

    private async Task<HttpClient> AccountantAsync()
    {
        await ScenarioAsync();
        return await app.ClientAsync(Roles.Accountant);
    }

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
    private static decimal Line(JsonNode statement, string key) => D(statement.Arr("lines").Single(l => l.Str("key") == key)!.Str("amount"));

    [Fact]
    public async Task Profit_and_loss_of_the_year()
    {
        var accountant = await AccountantAsync();
        var pl = await accountant.GetOkAsync("/api/reports/profit-and-loss?from=2025-01-01&to=2025-12-31");
        // A 700: 1000 + 200 + 500 = 1700; B 402: 400; C 1300; D 760: 20; F 1320; H 751: 50; I = L = 1270.
        var expected = new Dictionary<string, decimal>
        {
            ["A"] = 1700.00m, ["B"] = 400.00m, ["C"] = 1300.00m, ["D"] = 20.00m, ["E"] = 0m, ["F"] = 1320.00m,
            ["G"] = 0m, ["H"] = 50.00m, ["I"] = 1270.00m, ["J"] = 0m, ["L"] = 1270.00m,
        };
        Assert.Equal(expected, pl.Arr("lines").ToDictionary(l => l.Str("key"), l => D(l.Str("amount"))));
        Assert.Equal(1270.00m, D(pl.Str("netResult")));
        Assert.Empty(pl.Arr("unmapped"));
        var revenue = pl.Arr("lines").Single(l => l.Str("key") == "A")!.Arr("accounts").Single()!;
        Assert.Equal(("700", "1700.00"), (revenue.Str("code"), revenue.Str("amount")));
        // Only March: A2 500; 751 50; 760 20 → 470.
        var march = await accountant.GetOkAsync("/api/reports/profit-and-loss?from=2025-03-01&to=2025-03-31");
        Assert.Equal(470.00m, Line(march, "L"));
    }

    [Fact]
    public async Task Balance_sheet_balances_and_shows_receivables_and_overpayments_apart()
    {
        var accountant = await AccountantAsync();
        var bs = await accountant.GetOkAsync("/api/reports/balance-sheet?asOf=2025-12-31");
        // 130: 10000 + 1230 − 400 − 50 + 20 + 300 = 11100; 201 Alfa 615 (asset); 201 Beta −84 (a liability); 221: 230 + 16 + 115 = 361.
        Assert.Equal(0m, Line(bs, "AA"));
        Assert.Equal(11100.00m, Line(bs, "AB.III"));
        Assert.Equal(615.00m, Line(bs, "AB.II"));
        Assert.Equal(11715.00m, Line(bs, "AKTYWA"));
        Assert.Equal(10000.00m, Line(bs, "PA.I"));
        Assert.Equal(1270.00m, Line(bs, "PA.VI"));
        Assert.Equal(84.00m + 361.00m, Line(bs, "PB"));
        Assert.Equal(11715.00m, Line(bs, "PASYWA"));
        Assert.True(bs["balances"]!.GetValue<bool>());
        Assert.Equal((11715.00m, 11715.00m), (D(bs.Str("totalAssets")), D(bs.Str("totalLiabilitiesAndEquity"))));

        // Mid-year it balances too: 31.01 — 130 10000, 201 Alfa 1230; 801 10000, 221 230, result 1000.
        var january = await accountant.GetOkAsync("/api/reports/balance-sheet?asOf=2025-01-31");
        Assert.Equal((11230.00m, 11230.00m), (Line(january, "AKTYWA"), Line(january, "PASYWA")));
        Assert.Equal(1000.00m, Line(january, "PA.VI"));
    }

    [Fact]
    public async Task The_profit_and_loss_result_is_what_the_year_end_close_moves_to_860_and_stays_so_after_it()
    {
        var accountant = await AccountantAsync();
        var before = D((await accountant.GetOkAsync("/api/reports/profit-and-loss?from=2025-01-01&to=2025-12-31")).Str("netResult"));
        var closing = Assert.Single((await accountant.PostCreatedAsync("/api/ledger/years/2025/close", new { })).AsArray())!;
        var result = closing.Arr("lines").Single(l => l.Str("accountCode") == "860")!;
        Assert.Equal(before, result.Amount("credit") - result.Amount("debit"));
        Assert.Equal(1270.00m, before);

        var after = await accountant.GetOkAsync("/api/reports/profit-and-loss?from=2025-01-01&to=2025-12-31");
        Assert.Equal(1270.00m, D(after.Str("netResult")));
        var bs = await accountant.GetOkAsync("/api/reports/balance-sheet?asOf=2025-12-31");
        Assert.Equal(0m, D(bs.Str("currentResult")));
        Assert.Equal(1270.00m, Line(bs, "PA.VI"));   // now on 860
        Assert.True(bs["balances"]!.GetValue<bool>());
    }

    [Fact]
    public async Task General_ledger_of_the_bank_account_for_February_and_March()
    {
        var accountant = await AccountantAsync();
        var gl = await accountant.GetOkAsync("/api/reports/general-ledger?account=130&from=2025-02-01&to=2025-03-31");
        Assert.Equal(("130", "PLN", "10000.00"), (gl.Str("accountCode"), gl.Str("baseCurrency"), gl.Str("openingBalance")));
        var lines = gl.Arr("lines").Select(l => (l.Str("date"), l.Amount("debit"), l.Amount("credit"), D(l.Str("balance")))).ToList();
        Assert.Equal(
        [
            ("2025-02-10", 1230.00m, 0m, 11230.00m),
            ("2025-02-15", 0m, 400.00m, 10830.00m),
            ("2025-03-10", 0m, 50.00m, 10780.00m),
            ("2025-03-20", 20.00m, 0m, 10800.00m),
        ], lines);
        Assert.Equal(("1250.00", "450.00", "10800.00"), (gl.Str("totalDebit"), gl.Str("totalCredit"), gl.Str("closingBalance")));

        // The receivables account names the documents and the parties.
        var receivables = await accountant.GetOkAsync("/api/reports/general-ledger?account=201&from=2025-01-01&to=2025-01-31");
        var invoice = Assert.Single(receivables.Arr("lines"))!;
        Assert.Equal(("Alfa Sp. z o.o.", "FV/2025/01/1", "1230.00"), (invoice.Str("partyName"), invoice.Str("documentNumber"), invoice.Str("balance")));
    }

    [Theory]
    // asOf, buckets, Beta's bucket amounts in order (B1 216.00 due 15.02; Alfa A2 615.00 due 31.03)
    [InlineData("2025-02-15", null, "216.00|0|0|0|0")]        // due today: current
    [InlineData("2025-03-17", null, "0|216.00|0|0|0")]        // 30 days overdue: 1-30
    [InlineData("2025-03-18", null, "0|0|216.00|0|0")]        // 31 days: 31-60
    [InlineData("2025-03-17", "7,14", "0|0|0|216.00")]        // own buckets: current, 1-7, 8-14, >14
    [InlineData("2025-03-22", "7,14,35", "0|0|0|216.00|0")]   // 35 days: the last bounded bucket
    [InlineData("2025-03-23", "7,14,35", "0|0|0|0|216.00")]   // 36 days: >35
    public async Task Aging_puts_each_receivable_in_its_bucket_at_the_boundaries(string asOf, string? buckets, string beta)
    {
        var accountant = await AccountantAsync();
        var (_, betaId) = await ScenarioAsync();
        var aging = await accountant.GetOkAsync($"/api/reports/ar-aging?asOf={asOf}" + (buckets is null ? "" : $"&buckets={buckets}"));
        var pln = Assert.Single(aging.Arr("currencies"))!;
        var row = pln.Arr("rows").Single(r => r.Str("partyId") == betaId.ToString())!;
        Assert.Equal(beta.Split('|').Select(D), row.Arr("buckets").Select(b => D(b!.GetValue<string>())));
    }

    [Fact]
    public async Task Aging_as_of_a_date_counts_what_was_open_then_and_shows_credits()
    {
        var accountant = await AccountantAsync();
        var (alfa, beta) = await ScenarioAsync();
        // 31.03: A2 615 due that day (current); B1 216, paid only on 01.04, 44 days overdue (31-60). A1 was paid on 10.02.
        var march = Assert.Single((await accountant.GetOkAsync("/api/reports/ar-aging?asOf=2025-03-31")).Arr("currencies"))!;
        Assert.Equal(["current", "1-30", "31-60", "61-90", ">90"], (await accountant.GetOkAsync("/api/reports/ar-aging?asOf=2025-03-31")).Arr("buckets").Select(b => b.Str("label")));
        Assert.Equal([615.00m, 0m, 216.00m, 0m, 0m], march.Arr("totals").Select(t => D(t!.GetValue<string>())));
        Assert.Equal(("831.00", "0.00"), (march.Str("total"), march.Str("credits")));
        // 01.04: B1 paid, Beta has 84.00 credit; A2 one day overdue.
        var april = Assert.Single((await accountant.GetOkAsync("/api/reports/ar-aging?asOf=2025-04-01")).Arr("currencies"))!;
        var alfaRow = april.Arr("rows").Single(r => r.Str("partyId") == alfa.ToString())!;
        var betaRow = april.Arr("rows").Single(r => r.Str("partyId") == beta.ToString())!;
        Assert.Equal([0m, 615.00m, 0m, 0m, 0m], alfaRow.Arr("buckets").Select(b => D(b!.GetValue<string>())));
        Assert.Equal(("0.00", "84.00"), (betaRow.Str("total"), betaRow.Str("credits")));
    }

    [Theory]
    [InlineData("/api/reports/ar-aging?buckets=30,20", "buckets")]
    [InlineData("/api/reports/ar-aging?buckets=abc", "buckets")]
    [InlineData("/api/reports/general-ledger?account=999&from=2025-01-01&to=2025-01-31", "account")]
    [InlineData("/api/reports/general-ledger?account=130&from=2025-02-01&to=2025-01-31", "to")]
    [InlineData("/api/reports/profit-and-loss?from=2025-02-01&to=2025-01-31", "to")]
    [InlineData("/api/reports/balance-sheet?format=pdf", "format")]
    public async Task Bad_report_parameters_are_refused_naming_the_field(string url, string field)
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Get, url);
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {body?.ToJsonString()}");
        Assert.True(body!["errors"]!.AsObject().ContainsKey(field), body.ToJsonString());
    }

    [Fact]
    public async Task Sales_may_not_read_the_reports()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        using var response = await sales.GetAsync("/api/reports/balance-sheet");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CSV_export_is_UTF8_with_BOM_semicolons_and_decimal_commas()
    {
        var accountant = await AccountantAsync();
        using var response = await accountant.GetAsync("/api/reports/profit-and-loss?from=2025-01-01&to=2025-12-31&format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n").Select(l => l.Split(';')).ToList();
        Assert.Contains(rows, r => r.Length == 4 && r[0] == "L" && r[3] == "1270,00");
        Assert.Contains(rows, r => r.Length == 4 && r[0] == "A" && r[1] == "A. Przychody netto ze sprzedaży i zrównane z nimi" && r[3] == "1700,00");

        using var gl = await accountant.GetAsync("/api/reports/general-ledger?account=130&from=2025-02-01&to=2025-03-31&format=csv");
        var glRows = Encoding.UTF8.GetString((await gl.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n").Select(l => l.Split(';')).ToList();
        Assert.Contains(glRows, r => r.Length == 10 && r[0] == "2025-02-15" && r[8] == "400,00" && r[9] == "10830,00");
        Assert.Contains(glRows, r => r.Length == 10 && r[1] == "Saldo końcowe" && r[9] == "10800,00");
    }

    [Theory]
    [InlineData("/api/reports/balance-sheet?asOf=2025-12-31&format=xlsx", "AKTYWA", 3, 11715.00)]
    [InlineData("/api/reports/trial-balance?asOf=2025-12-31&format=xlsx", "130", 4, 11100.00)]
    [InlineData("/api/reports/ar-aging?asOf=2025-03-31&format=xlsx", "Razem", 4, 216.00)]
    public async Task XLSX_export_opens_and_holds_the_figures_as_numbers(string url, string firstCell, int column, double expected)
    {
        var accountant = await AccountantAsync();
        using var response = await accountant.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var row = sheet.Descendants<Row>().First(r => CellText(r.Elements<Cell>().First()) == firstCell || CellText(r.Elements<Cell>().ElementAtOrDefault(1)) == firstCell);
        var cell = row.Elements<Cell>().ElementAt(column);
        Assert.Equal((decimal)expected, decimal.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture));
    }

    private static string? CellText(Cell? cell) => cell?.InlineString?.Text?.Text ?? cell?.CellValue?.Text;
}

public sealed class SqliteReportTests(SqliteApp app) : ReportTests<SqliteApp>(app);

public sealed class PostgresReportTests(PostgresApp app) : ReportTests<PostgresApp>(app);
