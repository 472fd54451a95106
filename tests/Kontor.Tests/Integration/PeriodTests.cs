using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// Closed months refuse postings; months close in order and reopen from the last; a correction of an invoice of a
/// closed month posts into the open month it is issued in, naming the invoice. Its own database, because closing
/// months depends on what else was posted.
/// </summary>
public abstract class PeriodTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task A_closed_month_refuses_postings_and_a_correction_posts_into_the_open_month_with_a_reference()
    {
        // Back-dated history leaves the party over 30 days overdue; credit control is not what this test is about.
        await app.RaiseCreditOverdueThresholdAsync();
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var admin = await app.ClientAsync(Roles.Admin);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var january = await sales.IssueAsync((await sales.CreateDraftAsync(partyId, "1000.00", issueDate: new DateOnly(2026, 1, 15))).Id());
        await sales.IssueAsync((await sales.CreateDraftAsync(partyId, "10.00", issueDate: new DateOnly(2026, 2, 3))).Id());

        // February cannot close before January; Sales cannot close at all.
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, "/api/ledger/periods/2026/2/close");
        Assert.True(status == HttpStatusCode.Conflict, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains("Close 2026-01 first", body!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Post, "/api/ledger/periods/2026/1/close")).Status);

        var closed = await accountant.PostOkAsync("/api/ledger/periods/2026/1/close");
        Assert.Equal(("2026-01", "Closed"), (closed.Str("period"), closed.Str("status")));
        Assert.Equal(HttpStatusCode.Conflict, (await accountant.SendAsync(HttpMethod.Post, "/api/ledger/periods/2026/1/close")).Status);
        var year = (await accountant.GetOkAsync("/api/ledger/periods?year=2026")).AsArray();
        Assert.Equal(12, year.Count);
        Assert.Equal(["Closed", "Open"], year.Take(2).Select(p => p.Str("status")).ToArray());

        // An invoice dated in January: refused, still a draft, no number used.
        var late = await sales.CreateDraftAsync(partyId, "50.00", issueDate: new DateOnly(2026, 1, 31));
        (status, body, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{late.Id()}/issue");
        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains("The period 2026-01 is closed", body!["detail"]!.GetValue<string>());
        Assert.Equal("Draft", (await sales.GetOkAsync($"/api/invoices/{late.Id()}")).Str("status"));
        // A manual entry dated in January: refused too.
        (status, _, _) = await accountant.SendAsync(HttpMethod.Post, "/api/ledger/entries", Manual("2026-01-31", ("402", 100m, 0m), ("130", 0m, 100m)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);

        // The January invoice is corrected today (20 March): posted in March, naming the corrected invoice.
        var correction = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/invoices/{january.Id()}/corrections",
            new { reason = "Rabat po terminie", lines = new[] { new { position = 1, unitPrice = "900.00" } } })).Id());
        Assert.Equal(january.Str("number"), correction.Str("correctedInvoiceNumber"));
        var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={correction.Id()}")).AsArray())!;
        Assert.Equal(KontorApp.DefaultToday.ToString("yyyy-MM-dd"), entry.Str("date"));

        // Reopen: Admin only, with a reason; after it January takes postings again.
        Assert.Equal(HttpStatusCode.Forbidden, (await accountant.SendAsync(HttpMethod.Post, "/api/ledger/periods/2026/1/reopen", new { reason = "x" })).Status);
        (status, body, _) = await admin.SendAsync(HttpMethod.Post, "/api/ledger/periods/2026/1/reopen", new { reason = "" });
        Assert.True(status == HttpStatusCode.BadRequest && body!["errors"]!.AsObject().ContainsKey("reason"), body?.ToJsonString());
        Assert.Equal("Open", (await admin.PostOkAsync("/api/ledger/periods/2026/1/reopen", new { reason = "Faktura z opóźnieniem od kontrahenta" })).Str("status"));
        var audit = (await admin.GetOkAsync("/api/audit?entityType=AccountingPeriod")).AsArray();
        Assert.Contains(audit, a => a.Str("action") == "period.reopened" && a!["details"]!.Str("reason") == "Faktura z opóźnieniem od kontrahenta"
                                    && a["details"]!.Str("period") == "2026-01" && a.Str("userName") != "");
        await sales.IssueAsync(late.Id());
    }

    internal static object Manual(string date, params (string Account, decimal Debit, decimal Credit)[] lines) => new
    {
        date,
        description = "Polecenie księgowania",
        currency = "PLN",
        lines = lines.Select(l => new { accountCode = l.Account, debit = l.Debit == 0 ? (decimal?)null : l.Debit, credit = l.Credit == 0 ? (decimal?)null : l.Credit }).ToArray(),
    };
}

public sealed class SqlitePeriodTests(SqliteApp app) : PeriodTests<SqliteApp>(app);

public sealed class PostgresPeriodTests(PostgresApp app) : PeriodTests<PostgresApp>(app);

/// <summary>Its own database: the order of closing depends on everything posted.</summary>
public abstract class PeriodOrderTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static object Manual(string date, params (string Account, decimal Debit, decimal Credit)[] lines) => PeriodTests<TApp>.Manual(date, lines);

    [Fact]
    public async Task Months_reopen_from_the_last_closed_one()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var admin = await app.ClientAsync(Roles.Admin);
        await accountant.PostCreatedAsync("/api/ledger/entries", Manual("2030-04-10", ("402", 10m, 0m), ("130", 0m, 10m)));
        await accountant.PostOkAsync("/api/ledger/periods/2030/4/close");
        await accountant.PostOkAsync("/api/ledger/periods/2030/5/close");
        var (status, body, _) = await admin.SendAsync(HttpMethod.Post, "/api/ledger/periods/2030/4/reopen", new { reason = "Błąd" });
        Assert.True(status == HttpStatusCode.Conflict, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains("Reopen 2030-05 first", body!["detail"]!.GetValue<string>());
        (status, body, _) = await accountant.SendAsync(HttpMethod.Post, "/api/ledger/periods/2030/13/close");
        Assert.True(status == HttpStatusCode.BadRequest && body!["errors"]!.AsObject().ContainsKey("month"), body?.ToJsonString());
    }

}

public sealed class SqlitePeriodOrderTests(SqliteApp app) : PeriodOrderTests<SqliteApp>(app);

public sealed class PostgresPeriodOrderTests(PostgresApp app) : PeriodOrderTests<PostgresApp>(app);

/// <summary>Its own database: June 2031 must be the first month with postings.</summary>
public abstract class PeriodCloseRaceTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static object Manual(string date, params (string Account, decimal Debit, decimal Credit)[] lines) => PeriodTests<TApp>.Manual(date, lines);

    [Fact]
    public async Task Closing_a_month_while_invoices_are_being_issued_into_it_leaves_nothing_posted_after_the_close()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var partyId = (await sales.CreatePartyAsync()).Id();
        // Earlier months of 2031 have nothing posted, so June may close first.
        await accountant.PostCreatedAsync("/api/ledger/entries", Manual("2031-06-01", ("402", 1m, 0m), ("130", 0m, 1m)));
        var drafts = new List<Guid>();
        for (var i = 0; i < 20; i++) drafts.Add((await sales.CreateDraftAsync(partyId, "10.00", issueDate: new DateOnly(2031, 6, 15))).Id());

        var issues = drafts.Select(id => sales.SendAsync(HttpMethod.Post, $"/api/invoices/{id}/issue")).ToList();
        var close = accountant.SendAsync(HttpMethod.Post, "/api/ledger/periods/2031/6/close");
        var answers = await Task.WhenAll(issues);
        Assert.Equal(HttpStatusCode.OK, (await close).Status);

        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity }));
        // The close records what the month held; every posting that got in must be in that count, none after it.
        var admin = await app.ClientAsync(Roles.Admin);
        var closeRecord = (await admin.GetOkAsync("/api/audit?entityType=AccountingPeriod")).AsArray().Single(a => a.Str("action") == "period.closed")!;
        var postedInJune = await app.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Date.Year == 2031 && e.Date.Month == 6));
        Assert.Equal(postedInJune, closeRecord["details"]!["entries"]!.GetValue<int>());
        Assert.Equal(answers.Count(a => a.Status == HttpStatusCode.OK) + 1, postedInJune);
    }
}

public sealed class SqlitePeriodCloseRaceTests(SqliteApp app) : PeriodCloseRaceTests<SqliteApp>(app);

public sealed class PostgresPeriodCloseRaceTests(PostgresApp app) : PeriodCloseRaceTests<PostgresApp>(app);
