using Kontor.Crm.Credit;
using Kontor.CustomerCard;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Crm;

/// <summary>
/// "Overdue" means the same on the customer card (GET /api/parties/{id}/overview, <see cref="CustomerOverviewQuery.GetAsync"/>)
/// and in credit control (<see cref="CreditControl.ForNextSaleAsync(Guid, CancellationToken)"/>, which reads
/// <see cref="CustomerOverviewQuery.CreditFiguresAsync"/> like the document checks), item by item. The open items are
/// written straight into the table: the rule reads nothing else, and so each case is exactly the item it names.
/// </summary>
public abstract class CustomerOverdueRuleTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static readonly DateOnly Today = new(2026, 3, 20);

    /// <param name="DueInDays">Due date relative to today (−1 = yesterday); null = no due date.</param>
    public sealed record Item(OpenItemSide Side, string Currency, decimal Amount, decimal Open, int? DueInDays);

    /// <summary>Each case: its open items, then the overdue amount (PLN, the limit's currency), count and days past due worked out by hand.</summary>
    private static readonly Dictionary<string, (Item[] Items, decimal Amount, int Count, int Days)> Cases = new()
    {
        ["due yesterday"] = ([new(OpenItemSide.Receivable, "PLN", 100.00m, 100.00m, -1)], 100.00m, 1, 1),
        ["due today"] = ([new(OpenItemSide.Receivable, "PLN", 200.00m, 200.00m, 0)], 0m, 0, 0),
        ["due tomorrow"] = ([new(OpenItemSide.Receivable, "PLN", 300.00m, 300.00m, 1)], 0m, 0, 0),
        // 369.00 invoiced, 249.00 paid: overdue by what is still open.
        ["part-paid"] = ([new(OpenItemSide.Receivable, "PLN", 369.00m, 120.00m, -10)], 120.00m, 1, 10),
        ["paid in full"] = ([new(OpenItemSide.Receivable, "PLN", 50.00m, 0m, -19)], 0m, 0, 0),
        // Not in the limit's currency: no PLN amount, but it makes the party 5 days late.
        ["other currency"] = ([new(OpenItemSide.Receivable, "EUR", 400.00m, 400.00m, -5)], 0m, 0, 5),
        ["payable side"] = ([new(OpenItemSide.Payable, "PLN", 500.00m, 500.00m, -19)], 0m, 0, 0),
        ["unallocated payment"] = ([new(OpenItemSide.Credit, "PLN", 70.00m, 70.00m, null)], 0m, 0, 0),
        ["no due date"] = ([new(OpenItemSide.Receivable, "PLN", 80.00m, 80.00m, null)], 0m, 0, 0),
        // All of the above together: 100.00 + 120.00; the oldest unpaid receivable is the part-paid one, 10 days late.
        ["all together"] = ([
            new(OpenItemSide.Receivable, "PLN", 100.00m, 100.00m, -1),
            new(OpenItemSide.Receivable, "PLN", 200.00m, 200.00m, 0),
            new(OpenItemSide.Receivable, "PLN", 300.00m, 300.00m, 1),
            new(OpenItemSide.Receivable, "PLN", 369.00m, 120.00m, -10),
            new(OpenItemSide.Receivable, "PLN", 50.00m, 0m, -19),
            new(OpenItemSide.Receivable, "EUR", 400.00m, 400.00m, -5),
            new(OpenItemSide.Payable, "PLN", 500.00m, 500.00m, -19),
            new(OpenItemSide.Credit, "PLN", 70.00m, 70.00m, null),
            new(OpenItemSide.Receivable, "PLN", 80.00m, 80.00m, null),
        ], 220.00m, 2, 10),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_card_calls_overdue_what_credit_control_calls_overdue(string name)
    {
        var (items, amount, count, days) = Cases[name];
        app.Clock.SetDate(Today);
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(name: "Zaległy " + name, creditLimit: "10000.00")).Id();
        await app.QueryAsync(async db =>
        {
            foreach (var item in items)
                db.OpenItems.Add(new OpenItem
                {
                    PartyId = partyId, Side = item.Side, Currency = item.Currency, Amount = item.Amount, OpenAmount = item.Open,
                    SourceType = item.Side == OpenItemSide.Payable ? "purchase" : item.Side == OpenItemSide.Credit ? "payment" : "invoice",
                    SourceId = Guid.NewGuid(), DocumentDate = Today.AddDays(-30),
                    DueDate = item.DueInDays is { } d ? Today.AddDays(d) : null,
                    SettledOn = item.Open == 0 ? Today.AddDays(-20) : null,
                });
            return await db.SaveChangesAsync();
        });

        var api = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        await using var scope = app.Services.CreateAsyncScope();
        var card = await scope.ServiceProvider.GetRequiredService<CustomerOverviewQuery>().GetAsync(partyId);
        var credit = await scope.ServiceProvider.GetRequiredService<CreditControl>().ForNextSaleAsync(partyId);

        Assert.Equal(amount, credit.OverdueAmount);
        Assert.Equal(amount, card.OverdueAmount);
        Assert.Equal(amount, api.Amount("overdueAmount"));
        Assert.Equal(count, card.OverdueCount);
        Assert.Equal(count, api["overdueCount"]!.GetValue<int>());
        Assert.Equal(count > 0, card.IsOverdue);
        Assert.Equal(days, credit.DaysOverdue);
        Assert.Equal(days, card.DaysOverdue);
    }
}

public sealed class SqliteCustomerOverdueRuleTests(SqliteApp app) : CustomerOverdueRuleTests<SqliteApp>(app);

public sealed class PostgresCustomerOverdueRuleTests(PostgresApp app) : CustomerOverdueRuleTests<PostgresApp>(app);
