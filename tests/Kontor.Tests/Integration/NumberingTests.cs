using System.Net;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>Invoice numbers are gapless under concurrency, and a failed issue gives its number back.</summary>
public abstract class NumberingTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task Fifty_concurrent_issues_get_the_numbers_1_to_50_without_gaps()
    {
        // Back-dated history leaves the party over 30 days overdue; credit control is not what this test is about.
        await app.RaiseCreditOverdueThresholdAsync();
        // Issue dates in a month no other test of this database uses, so the series starts at 1.
        var issueDate = new DateOnly(2026, 1, 15);
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var drafts = new List<Guid>();
        for (var i = 0; i < 50; i++)
            drafts.Add((await sales.CreateDraftAsync(partyId, (10 + i) + ".00", issueDate: issueDate)).Id());

        var clients = await Task.WhenAll(drafts.Select(_ => app.ClientAsync(Roles.Sales)));
        var issued = await Task.WhenAll(drafts.Select((id, i) => clients[i].IssueAsync(id)));

        var numbers = issued.Select(i => i.Str("number")).ToList();
        Assert.Equal(Enumerable.Range(1, 50).Select(n => $"FV/2026/01/{n}").Order(), numbers.Order());
        var entries = await app.QueryAsync(db => db.JournalEntries.CountAsync(e => drafts.Contains(e.SourceId)));
        Assert.Equal(50, entries);
    }

    [Fact]
    public async Task A_rolled_back_issue_leaves_a_draft_and_does_not_consume_a_number()
    {
        // A host whose revenue account is not in the chart: every posting is refused by the books.
        await using var broken = app.CreateFresh(new Dictionary<string, string?> { ["Ledger:SalesRevenue"] = "999" });
        await broken.InitializeAsync();
        var sales = await broken.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var draftId = (await sales.CreateDraftAsync(partyId, "100.00")).Id();

        var (status, problem, contentType) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{draftId}/issue");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("999", problem!.Str("detail"));
        var draft = await sales.GetOkAsync($"/api/invoices/{draftId}");
        Assert.Equal("Draft", draft.Str("status"));
        Assert.Null(draft["number"]?.GetValue<string>());
        Assert.Null(draft["dueDate"]?.GetValue<string>());
        Assert.Empty((await (await broken.ClientAsync(Roles.Accountant)).GetOkAsync($"/api/ledger/entries?documentId={draftId}")).AsArray());
        var counters = await broken.QueryAsync(db => db.NumberingCounters.Select(c => c.LastValue).ToListAsync());
        Assert.DoesNotContain(counters, value => value > 0);
        Assert.Equal(0, await broken.QueryAsync(db => db.OpenItems.CountAsync()));

        // The same database with the right chart: the first invoice that gets through is number 1.
        await using var healthy = broken.OpenOnSameDatabase();
        await healthy.InitializeAsync();
        var healthySales = await healthy.ClientAsync(Roles.Sales);
        var issued = await healthySales.IssueAsync(draftId);
        var next = await healthySales.CreateAndIssueAsync(partyId, "5.00");

        var month = KontorApp.DefaultToday.ToString("yyyy/MM");
        Assert.Equal($"FV/{month}/1", issued.Str("number"));
        Assert.Equal($"FV/{month}/2", next.Str("number"));
    }
}

public sealed class SqliteNumberingTests(SqliteApp app) : NumberingTests<SqliteApp>(app);

public sealed class PostgresNumberingTests(PostgresApp app) : NumberingTests<PostgresApp>(app);
