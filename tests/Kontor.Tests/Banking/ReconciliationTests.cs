using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Banking;

/// <summary>
/// Statement matching end to end on each database: a synthetic MT940 (ZBP ~ layout, written here) against invoices
/// issued through the API; exact matches are paid during the import and show on the customer card, the others wait
/// in the queue where they are accepted, split, assigned or ignored; a line is settled once, also when two people race.
/// </summary>
public abstract class ReconciliationTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string CompanyIban = TestStatements.CompanyIban;
    private const string StrangerIban = "PL27114020040000300201355387";

    /// <summary>An issued invoice with a net price chosen so that its gross amount is unique in this database.</summary>
    private static async Task<(Guid Id, string Number, decimal Gross)> InvoiceAsync(HttpClient client, Guid partyId, DateOnly? issueDate = null)
    {
        var net = 1000m + Random.Shared.Next(1, 90_000) / 100m;
        var invoice = await client.CreateAndIssueAsync(partyId, net.ToString("0.00", CultureInfo.InvariantCulture), issueDate: issueDate);
        return (invoice.Id(), invoice.Str("number"), invoice.Amount("totalGross"));
    }

    private async Task<JsonArray> QueueAsync(HttpClient client, string query = "") =>
        (await client.GetOkAsync("/api/reconciliation" + query)).AsArray();

    private static JsonNode LineWithTitle(JsonArray queue, string fragment) =>
        queue.Single(i => (i!["line"]!["title"]?.GetValue<string>() ?? "").Contains(fragment, StringComparison.Ordinal))!;

    [Fact]
    public async Task Import_pays_exact_matches_and_the_queue_accepts_splits_assigns_and_ignores_the_rest()
    {
        // Back-dated invoices leave the customers more than 30 days overdue; credit control is not what this test is about.
        await app.RaiseCreditOverdueThresholdAsync();
        await TestStatements.EnsureCompanyAccountAsync(app);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var alfa = (await accountant.CreatePartyAsync("Alfa Handel")).Id();
        var beta = (await accountant.CreatePartyAsync("Beta Serwis")).Id();
        var gamma = await accountant.CreatePartyAsync("Gamma Trade");
        var gammaId = gamma.Id();
        var gammaNip = gamma.Str("taxId");
        // A1 is overdue on the test's today (20 March: issued 2 February, 14 days).
        var a1 = await InvoiceAsync(accountant, alfa, new DateOnly(2026, 2, 2));
        var a2 = await InvoiceAsync(accountant, alfa);
        var a3 = await InvoiceAsync(accountant, alfa);
        var b1 = await InvoiceAsync(accountant, beta);
        var b2 = await InvoiceAsync(accountant, beta);
        var before = await accountant.GetOkAsync($"/api/parties/{alfa}/overview");
        Assert.Equal(a1.Gross + a2.Gross + a3.Gross, before.Amount("balance"));
        Assert.Equal(a1.Gross, before.Amount("overdueAmount"));

        var unknownAmount = 12.34m + Random.Shared.Next(1, 500) / 100m;
        var statement = TestStatements.Mt940(
            new TestStatementLine(a1.Gross, $"Zaplata za {a1.Number.ToLowerInvariant().Replace('/', '-')}", Name: "ALFA HANDEL SP Z OO"),
            new TestStatementLine(a2.Gross + a3.Gross, $"Faktury {a2.Number}, {a3.Number}"),
            new TestStatementLine(100.00m, $"{b1.Number} czesc"),
            new TestStatementLine(unknownAmount, "Zwrot kaucji", Name: "JAN NIEZNANY", Iban: StrangerIban),
            new TestStatementLine(9.99m, "Prowizja za prowadzenie rachunku", Debit: true),
            new TestStatementLine(250.00m, $"Zaliczka NIP {gammaNip}", Name: "GAMMA TRADE", Iban: "PL83101010230000261395100000"),
            new TestStatementLine(b2.Gross + 50.00m, "Beta platnosc za luty"));
        var imported = await TestStatements.ImportAsync(accountant, statement);
        var statementId = imported.Arr("statements")[0]!.Id();
        var matching = imported["matching"]!;
        Assert.Null(matching["error"]?.GetValue<string>());
        Assert.Equal(7, matching["lines"]!.GetValue<int>());
        Assert.Equal(2, matching["autoMatched"]!.GetValue<int>());
        Assert.Equal(1, matching["outgoing"]!.GetValue<int>());

        // The customer card shows the automatic payments: nothing owed, nothing overdue.
        var after = await accountant.GetOkAsync($"/api/parties/{alfa}/overview");
        Assert.Equal(0m, after.Amount("balance"));
        Assert.Equal(0m, after.Amount("overdueAmount"));
        var matched = await QueueAsync(accountant, $"?status=Matched&statementId={statementId}");
        Assert.Equal(2, matched.Count);
        Assert.All(matched, m => Assert.Equal("Automatic", m!["resolution"]!.GetValue<string>()));
        Assert.All(matched, m => Assert.NotNull(m!["paymentId"]?.GetValue<string>()));
        Assert.Equal(2, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "bank-line.auto-matched" && a.Details.Contains(alfa.ToString()))));

        // The queue: incoming lines that wait, the bank fee only when asked for.
        var queue = await QueueAsync(accountant, $"?statementId={statementId}");
        Assert.Equal(4, queue.Count);
        Assert.DoesNotContain(queue, i => i!["line"]!["direction"]!.GetValue<string>() == "Debit");
        Assert.Single(await QueueAsync(accountant, $"?statementId={statementId}&direction=Debit"));
        Assert.Equal(5, (await QueueAsync(accountant, $"?statementId={statementId}&direction=All")).Count);
        var unknown = LineWithTitle(queue, "Zwrot kaucji");
        Assert.Equal("Unmatched", unknown["line"]!["status"]!.GetValue<string>());
        Assert.Empty(unknown.Arr("suggestions"));

        // Partial payment of B1: suggested, not posted; accepting registers it, accepting again is a conflict.
        var partial = LineWithTitle(queue, "czesc");
        var suggestion = partial.Arr("suggestions")[0]!;
        Assert.Equal(beta, Guid.Parse(suggestion.Str("partyId")));
        Assert.Equal(0.70m, suggestion["confidence"]!.GetValue<decimal>());
        Assert.Contains("partial-payment", suggestion.Arr("reasons").Select(r => r!.GetValue<string>()));
        Assert.Equal(b1.Id, Guid.Parse(suggestion.Arr("allocations")[0]!.Str("invoiceId")));
        var partialId = partial["line"]!.Id();
        var manager = await app.ClientAsync(Roles.Manager);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.SendAsync(HttpMethod.Post, $"/api/reconciliation/{partialId}/accept", new { suggestion = 0 })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync(Roles.Sales)).SendAsync(HttpMethod.Get, "/api/reconciliation")).Status);
        var (badStatus, badBody, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{partialId}/accept", new { suggestion = 7 });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.NotNull(badBody!["errors"]!["suggestion"]);
        var (textStatus, textBody, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{partialId}/accept", new { suggestion = "first" });
        Assert.Equal(HttpStatusCode.BadRequest, textStatus);
        Assert.NotNull(textBody!["errors"]!["suggestion"]);
        Assert.Equal(HttpStatusCode.NotFound, (await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{Guid.NewGuid()}/accept", new { suggestion = 0 })).Status);
        var accepted = await accountant.PostOkAsync($"/api/reconciliation/{partialId}/accept", new { suggestion = 0 });
        Assert.Equal(0m, accepted.Amount("unallocated"));
        Assert.Equal(HttpStatusCode.Conflict, (await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{partialId}/accept", new { suggestion = 0 })).Status);
        Assert.Equal(b1.Gross + b2.Gross - 100.00m, (await accountant.GetOkAsync($"/api/parties/{beta}/overview")).Amount("balance"));

        // Split: Beta's 'luty' transfer pays B2 and 50.00 stays as Beta's credit. Bad amounts are 400 naming the field.
        var split = LineWithTitle(queue, "Beta platnosc");
        var splitId = split["line"]!.Id();
        var (splitStatus, splitBody, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{splitId}/split",
            new { partyId = beta, allocations = new[] { new { invoiceId = b2.Id, amount = "lots" } } });
        Assert.Equal(HttpStatusCode.BadRequest, splitStatus);
        Assert.NotNull(splitBody!["errors"]!["allocations[0].amount"]);
        var (overStatus, overBody, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{splitId}/split",
            new { partyId = beta, allocations = new[] { new { invoiceId = b2.Id, amount = (b2.Gross + 1m).ToString("0.00", CultureInfo.InvariantCulture) } } });
        Assert.Equal(HttpStatusCode.BadRequest, overStatus);
        Assert.NotNull(overBody!["errors"]!["allocations[0].amount"]);
        var splitDone = await accountant.PostOkAsync($"/api/reconciliation/{splitId}/split",
            new { partyId = beta, allocations = new[] { new { invoiceId = b2.Id, amount = b2.Gross.ToString("0.00", CultureInfo.InvariantCulture) } } });
        Assert.Equal(50.00m, splitDone.Amount("unallocated"));
        var betaCard = await accountant.GetOkAsync($"/api/parties/{beta}/overview");
        Assert.Equal(b1.Gross - 100.00m - 50.00m, betaCard.Amount("balance"));
        Assert.Equal(50.00m, betaCard.Amount("unallocatedPayments"));

        // Assign: Gamma (known by the NIP in the title) pays on account; Kontor learns the account it paid from.
        var onAccount = LineWithTitle(queue, "Zaliczka");
        var gammaSuggestion = onAccount.Arr("suggestions")[0]!;
        Assert.Equal(gammaId, Guid.Parse(gammaSuggestion.Str("partyId")));
        Assert.Contains("on-account", gammaSuggestion.Arr("reasons").Select(r => r!.GetValue<string>()));
        var (assignStatus, assignBody, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{onAccount["line"]!.Id()}/assign", new { });
        Assert.Equal(HttpStatusCode.BadRequest, assignStatus);
        Assert.NotNull(assignBody!["errors"]!["partyId"]);
        var assigned = await accountant.PostOkAsync($"/api/reconciliation/{onAccount["line"]!.Id()}/assign", new { partyId = gammaId });
        Assert.Equal(250.00m, assigned.Amount("unallocated"));
        Assert.Equal(250.00m, (await accountant.GetOkAsync($"/api/parties/{gammaId}/overview")).Amount("unallocatedPayments"));
        Assert.True(await app.QueryAsync(db => db.PartyBankAccounts.AnyAsync(a => a.PartyId == gammaId && a.Iban == "PL83101010230000261395100000")));

        // Ignore needs a reason; the bank fee (money out) can be ignored too.
        var unknownId = unknown["line"]!.Id();
        var (ignoreStatus, ignoreBody, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{unknownId}/ignore", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, ignoreStatus);
        Assert.NotNull(ignoreBody!["errors"]!["reason"]);
        await accountant.PostOkAsync($"/api/reconciliation/{unknownId}/ignore", new { reason = "Zwrot kaucji, nie jest zapłatą klienta" });
        var fee = (await QueueAsync(accountant, $"?statementId={statementId}&direction=Debit"))[0]!;
        Assert.Equal(HttpStatusCode.BadRequest, (await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{fee["line"]!.Id()}/accept", new { })).Status);
        await accountant.PostOkAsync($"/api/reconciliation/{fee["line"]!.Id()}/ignore", new { reason = "Prowizja bankowa" });

        Assert.Empty(await QueueAsync(accountant, $"?statementId={statementId}&direction=All"));
        var ignored = await QueueAsync(accountant, $"?statementId={statementId}&status=Ignored&direction=All");
        Assert.Equal(2, ignored.Count);
        Assert.Contains(ignored, i => i!["resolutionNote"]!.GetValue<string>() == "Prowizja bankowa");
        foreach (var action in new[] { "bank-line.accepted", "bank-line.split", "bank-line.assigned", "bank-line.ignored" })
            Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == action)), action);

        // Matching again changes nothing that is settled.
        var again = await accountant.PostOkAsync($"/api/bank-statements/{statementId}/match");
        Assert.Equal(0, again["lines"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await accountant.SendAsync(HttpMethod.Post, $"/api/bank-statements/{Guid.NewGuid()}/match")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await accountant.SendAsync(HttpMethod.Get, "/api/reconciliation?status=maybe")).Status);
    }

    [Fact]
    public async Task The_learned_account_identifies_the_payer_next_time()
    {
        await TestStatements.EnsureCompanyAccountAsync(app);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var delta = (await accountant.CreatePartyAsync("Delta Bud")).Id();
        var iban = "PL" + "10" + "1090" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString() + "123456789";
        var first = await TestStatements.ImportAsync(accountant, TestStatements.Mt940(new TestStatementLine(300.00m, "Przedplata", Iban: iban)));
        var line = (await QueueAsync(accountant, $"?statementId={first.Arr("statements")[0]!.Id()}"))[0]!;
        Assert.Empty(line.Arr("suggestions"));
        await accountant.PostOkAsync($"/api/reconciliation/{line["line"]!.Id()}/assign", new { partyId = delta });

        var invoice = await InvoiceAsync(accountant, delta);
        var second = await TestStatements.ImportAsync(accountant, TestStatements.Mt940(new TestStatementLine(invoice.Gross, "Platnosc", Iban: iban)));
        Assert.Equal(1, second["matching"]!["autoMatched"]!.GetValue<int>());
        var paid = (await QueueAsync(accountant, $"?statementId={second.Arr("statements")[0]!.Id()}&status=Matched"))[0]!;
        Assert.Contains("iban-known", paid.Arr("suggestions")[0]!.Arr("reasons").Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Two_people_accepting_the_same_line_register_one_payment()
    {
        await TestStatements.EnsureCompanyAccountAsync(app);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var admin = await app.ClientAsync(Roles.Admin);
        var party = (await accountant.CreatePartyAsync("Epsilon")).Id();
        var invoice = await InvoiceAsync(accountant, party);
        var imported = await TestStatements.ImportAsync(accountant, TestStatements.Mt940(new TestStatementLine(200.00m, $"{invoice.Number} rata")));
        var line = (await QueueAsync(accountant, $"?statementId={imported.Arr("statements")[0]!.Id()}"))[0]!;
        var lineId = line["line"]!.Id();

        for (var round = 0; round < 1; round++)
        {
            var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                (i % 2 == 0 ? accountant : admin).SendAsync(HttpMethod.Post, $"/api/reconciliation/{lineId}/accept", new { suggestion = 0 })));
            Assert.Equal(1, attempts.Count(a => a.Status == HttpStatusCode.OK));
            Assert.All(attempts.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.Status));
        }
        Assert.Equal(1, await app.QueryAsync(db => db.Payments.CountAsync(p => p.PartyId == party)));
        Assert.Equal(invoice.Gross - 200.00m, (await accountant.GetOkAsync($"/api/parties/{party}/overview")).Amount("balance"));
    }
}

public sealed class SqliteReconciliationTests(SqliteApp app) : ReconciliationTests<SqliteApp>(app);

public sealed class PostgresReconciliationTests(PostgresApp app) : ReconciliationTests<PostgresApp>(app);
