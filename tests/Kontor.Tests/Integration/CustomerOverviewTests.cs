using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Integration;

/// <summary>The customer card's figures after a known history, against numbers worked out by hand.</summary>
public abstract class CustomerOverviewTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private async Task<HttpClient> OnAsync(DateOnly date, string role)
    {
        app.Clock.SetDate(date);
        return await app.ClientAsync(role);
    }

    [Fact]
    public async Task Overview_figures_follow_the_history_of_invoices_and_payments()
    {
        // Back-dated history leaves the party over 30 days overdue; credit control is not what this test is about.
        await app.RaiseCreditOverdueThresholdAsync();
        var partyId = (await (await OnAsync(new DateOnly(2026, 1, 5), Roles.Sales)).CreatePartyAsync(paymentTermDays: 14, creditLimit: "10000.00")).Id();

        // A: 5 Jan, 1000.00 + 23 % = 1230.00, due 19 Jan (party term 14). Paid 15 Jan: early, 0 days late.
        var a = await (await OnAsync(new DateOnly(2026, 1, 5), Roles.Sales)).CreateAndIssueAsync(partyId, "1000.00", "23");
        // B: 20 Jan, 500.00 + 23 % = 615.00, term 7 → due 27 Jan. Paid 5 Feb: 9 days late.
        var b = await (await OnAsync(new DateOnly(2026, 1, 20), Roles.Sales)).CreateAndIssueAsync(partyId, "500.00", "23", paymentTermDays: 7);
        // E: 1 Feb, 100.00 zw = 100.00, term 0 → due 1 Feb. Paid 3 Feb: 2 days late.
        var e = await (await OnAsync(new DateOnly(2026, 2, 1), Roles.Sales)).CreateAndIssueAsync(partyId, "100.00", "zw", paymentTermDays: 0);
        // C: 10 Feb, 200.00 + 8 % = 216.00, due 24 Feb. 100.00 paid 20 Feb; 116.00 still open and overdue on 20 Mar.
        var c = await (await OnAsync(new DateOnly(2026, 2, 10), Roles.Sales)).CreateAndIssueAsync(partyId, "200.00", "8");
        // D: 10 Mar, 300.00 + 23 % = 369.00, due 24 Mar: open, not yet overdue on 20 Mar.
        var d = await (await OnAsync(new DateOnly(2026, 3, 10), Roles.Sales)).CreateAndIssueAsync(partyId, "300.00", "23");
        Assert.Equal(["2026-01-19", "2026-01-27", "2026-02-01", "2026-02-24", "2026-03-24"],
            new[] { a, b, e, c, d }.Select(i => i.Str("dueDate")));
        Assert.Equal([1230.00m, 615.00m, 100.00m, 216.00m, 369.00m], new[] { a, b, e, c, d }.Select(i => i.Amount("totalGross")));

        await (await OnAsync(new DateOnly(2026, 1, 15), Roles.Accountant)).PayAsync(partyId, "1230.00", allocations: [new { invoiceId = a.Id(), amount = "1230.00" }]);
        await (await OnAsync(new DateOnly(2026, 2, 3), Roles.Accountant)).PayAsync(partyId, "100.00", allocations: [new { invoiceId = e.Id(), amount = "100.00" }]);
        // Registered later with the date the money arrived.
        var accountant = await OnAsync(new DateOnly(2026, 3, 1), Roles.Accountant);
        await accountant.PayAsync(partyId, "615.00", date: new DateOnly(2026, 2, 5), allocations: [new { invoiceId = b.Id(), amount = "615.00" }]);
        await accountant.PayAsync(partyId, "100.00", date: new DateOnly(2026, 2, 20), allocations: [new { invoiceId = c.Id(), amount = "100.00" }]);

        var overview = await (await OnAsync(new DateOnly(2026, 3, 20), Roles.Sales)).GetOkAsync($"/api/parties/{partyId}/overview");

        Assert.Equal("2026-03-20", overview.Str("asOf"));
        Assert.Equal(485.00m, overview.Amount("balance"));            // invoiced 2530.00 − paid 2045.00 (= C 116.00 + D 369.00)
        Assert.Equal(116.00m, overview.Amount("overdueAmount"));      // C only
        Assert.Equal(1, overview["overdueCount"]!.GetValue<int>());
        Assert.True(overview["isOverdue"]!.GetValue<bool>());
        Assert.Equal(10000.00m, overview.Amount("creditLimit"));
        Assert.Equal(9515.00m, overview.Amount("availableCredit"));   // 10000.00 − 485.00
        Assert.Equal(5, overview["invoiceCount"]!.GetValue<int>());
        Assert.Equal(506.00m, overview.Amount("averageInvoiceValue")); // 2530.00 / 5
        Assert.Equal("2026-03-10", overview.Str("lastInvoiceDate"));
        Assert.Equal(3, overview["settledInvoiceCount"]!.GetValue<int>()); // A, B, E
        Assert.Equal(0.3333m, overview["onTimePaymentRatio"]!.GetValue<decimal>()); // 1 of 3 (A)
        Assert.Equal(3.7m, overview["averageDaysLate"]!.GetValue<decimal>());       // (0 + 9 + 2) / 3 = 3.67
        Assert.Equal(0m, overview.Amount("unallocatedPayments"));

        // Five days later D is overdue too, and nothing else changed.
        var later = await (await OnAsync(new DateOnly(2026, 3, 25), Roles.Sales)).GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(485.00m, later.Amount("overdueAmount"));
        Assert.Equal(2, later["overdueCount"]!.GetValue<int>());
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task A_party_without_history_has_empty_figures()
    {
        var sales = await OnAsync(KontorApp.DefaultToday, Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();

        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");

        Assert.Equal(0m, overview.Amount("balance"));
        Assert.Equal(0, overview["invoiceCount"]!.GetValue<int>());
        Assert.Null(overview["averageInvoiceValue"]);
        Assert.Null(overview["onTimePaymentRatio"]);
        Assert.Null(overview["creditLimit"]);
        Assert.False(overview["isOverdue"]!.GetValue<bool>());
    }
}

public sealed class SqliteCustomerOverviewTests(SqliteApp app) : CustomerOverviewTests<SqliteApp>(app);

public sealed class PostgresCustomerOverviewTests(PostgresApp app) : CustomerOverviewTests<PostgresApp>(app);
