using System.Net;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Kontor.Tests.Crm;

/// <summary>
/// What one render of the customer card page costs in SQL: the overview (balance, overdue, credit) is computed once and
/// handed down, not asked again by credit control or by child components (docs/crm.md, "Customer card").
/// </summary>
public abstract class CustomerCardRenderTests<TApp>(TApp app, ITestOutputHelper output) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task One_render_of_the_card_page_computes_the_overview_once()
    {
        var partyId = await PartyWithHistoryAsync();
        var sales = await app.ClientAsync(Roles.Sales);
        using var counter = await DatabaseCommandCounter.StartAsync(app);

        using var response = await sales.GetAsync($"/customers/{partyId}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"customer-balance\"", html); // the prerender got as far as the figures
        Assert.Contains("data-testid=\"customer-overdue-flag\"", html);
        AssertOverviewComputedOnce(counter);
        // Measured: 30 statements per render before the card handed its overview to credit control (the overview's party
        // row, balances and overdue read a second time, overdue a third), 27 after. More is a regression to look at.
        Assert.True(counter.Texts.Count <= PageStatementBudget,
            $"one render of the card ran {counter.Texts.Count} statements (budget {PageStatementBudget}):\n" + string.Join("\n", counter.Texts));
    }

    [Fact]
    public async Task The_card_api_computes_the_overview_once()
    {
        var partyId = await PartyWithHistoryAsync();
        var sales = await app.ClientAsync(Roles.Sales);
        using var counter = await DatabaseCommandCounter.StartAsync(app);

        var card = await sales.GetOkAsync($"/api/parties/{partyId}/card");

        Assert.Equal(319.00m, card["overview"].Amount("balance"));
        Assert.Equal(73.00m, card["overview"].Amount("overdueAmount"));
        Assert.False(card["atRisk"]!.GetValue<bool>()); // 10 days past due, within the default 30; 319.00 within 5000.00
        AssertOverviewComputedOnce(counter);
    }

    private const int PageStatementBudget = 27;

    /// <summary>
    /// One overview = one read of the receivables balance (JournalLines), one of the party's open items in the card's
    /// currency and one of the overdue rule (both OpenItems). Credit control's risk flag reuses those figures.
    /// </summary>
    private void AssertOverviewComputedOnce(DatabaseCommandCounter counter)
    {
        foreach (var t in counter.Texts) output.WriteLine(t.ReplaceLineEndings(" "));
        Assert.Equal(1, counter.Reading("JournalLines"));
        Assert.Equal(2, counter.Reading("OpenItems"));
        Assert.Equal(1, counter.Texts.Count(t => t.Contains("\"OpenItems\"", StringComparison.Ordinal) && t.Contains("\"DueDate\" <", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A party with a credit limit of 5000.00 and, on <see cref="KontorApp.DefaultToday"/>: 123.00 (100.00 + 23 %) issued
    /// 10 days ago due that day, 50.00 of it paid (73.00 overdue); 246.00 (200.00 + 23 %) issued today, due in 14 days.
    /// Balance 123.00 + 246.00 − 50.00 = 319.00.
    /// </summary>
    private async Task<Guid> PartyWithHistoryAsync()
    {
        app.Clock.SetDate(KontorApp.DefaultToday.AddDays(-10));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 0, creditLimit: "5000.00")).Id();
        await sales.CreateAndIssueAsync(partyId, "100.00", "23", paymentTermDays: 0);
        app.Clock.SetDate(KontorApp.DefaultToday);
        sales = await app.ClientAsync(Roles.Sales);
        await sales.CreateAndIssueAsync(partyId, "200.00", "23", paymentTermDays: 14);
        await (await app.ClientAsync(Roles.Accountant)).PayAsync(partyId, "50.00");
        return partyId;
    }
}

public sealed class SqliteCustomerCardRenderTests(SqliteApp app, ITestOutputHelper output) : CustomerCardRenderTests<SqliteApp>(app, output);

public sealed class PostgresCustomerCardRenderTests(PostgresApp app, ITestOutputHelper output) : CustomerCardRenderTests<PostgresApp>(app, output);
