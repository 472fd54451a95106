using System.Net;
using Kontor.Ledger;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>How payments settle invoices: partly, too much, oldest first, or as the payer said.</summary>
public abstract class PaymentAllocationTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static readonly DateOnly Today = KontorApp.DefaultToday; // 2026-03-20

    private async Task<(HttpClient Sales, HttpClient Accountant)> ClientsAsync()
    {
        app.Clock.SetDate(Today);
        return (await app.ClientAsync(Roles.Sales), await app.ClientAsync(Roles.Accountant));
    }

    [Fact]
    public async Task A_partial_payment_leaves_the_remainder_open_and_overdue()
    {
        var (sales, accountant) = await ClientsAsync();
        var partyId = (await sales.CreatePartyAsync(creditLimit: "5000.00")).Id();
        // Issued 1 March with 14 days: due 15 March, overdue on 20 March. 400.00 + 23 % = 492.00.
        var invoice = await sales.CreateAndIssueAsync(partyId, "400.00", paymentTermDays: 14, issueDate: new DateOnly(2026, 3, 1));
        Assert.Equal("2026-03-15", invoice.Str("dueDate"));

        var payment = await accountant.PayAsync(partyId, "92.00", date: new DateOnly(2026, 3, 18));

        Assert.Equal(0m, payment.Amount("unallocated"));
        var allocation = Assert.Single(payment.Arr("allocations"))!;
        Assert.Equal(invoice.Str("id"), allocation.Str("invoiceId"));
        Assert.Equal(92.00m, allocation.Amount("amount"));
        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(400.00m, overview.Amount("balance"));       // 492.00 − 92.00
        Assert.Equal(400.00m, overview.Amount("overdueAmount"));
        Assert.Equal(1, overview["overdueCount"]!.GetValue<int>());
        Assert.True(overview["isOverdue"]!.GetValue<bool>());
        Assert.Equal(4600.00m, overview.Amount("availableCredit")); // 5000.00 − 400.00
        Assert.Equal(0, overview["settledInvoiceCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_overpayment_is_kept_as_unallocated_credit()
    {
        var (sales, accountant) = await ClientsAsync();
        var partyId = (await sales.CreatePartyAsync(creditLimit: "1000.00")).Id();
        var invoice = await sales.CreateAndIssueAsync(partyId, "100.00"); // 123.00

        var payment = await accountant.PayAsync(partyId, "200.00");

        Assert.Equal(77.00m, payment.Amount("unallocated")); // 200.00 − 123.00
        Assert.Equal(123.00m, Assert.Single(payment.Arr("allocations"))!.Amount("amount"));
        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(-77.00m, overview.Amount("balance"));
        Assert.Equal(77.00m, overview.Amount("unallocatedPayments"));
        Assert.Equal(1077.00m, overview.Amount("availableCredit")); // 1000.00 − (−77.00)
        Assert.Equal(0m, overview.Amount("overdueAmount"));
        Assert.Equal(1, overview["settledInvoiceCount"]!.GetValue<int>());
        Assert.Equal(1m, overview["onTimePaymentRatio"]!.GetValue<decimal>());
        Assert.Equal(invoice.Str("id"), Assert.Single(payment.Arr("allocations"))!.Str("invoiceId"));
    }

    [Fact]
    public async Task Without_allocations_the_payment_settles_the_oldest_due_first()
    {
        var (sales, accountant) = await ClientsAsync();
        var partyId = (await sales.CreatePartyAsync()).Id();
        // Issued in date order, but due in a different order: B (7 March), C (13 March), A (31 March).
        var a = await sales.CreateAndIssueAsync(partyId, "300.00", paymentTermDays: 30, issueDate: new DateOnly(2026, 3, 1)); // 369.00
        var b = await sales.CreateAndIssueAsync(partyId, "100.00", paymentTermDays: 5, issueDate: new DateOnly(2026, 3, 2));  // 123.00
        var c = await sales.CreateAndIssueAsync(partyId, "200.00", paymentTermDays: 10, issueDate: new DateOnly(2026, 3, 3)); // 246.00

        var payment = await accountant.PayAsync(partyId, "200.00");

        var allocations = payment.Arr("allocations").Select(x => (x!.Str("invoiceId"), x.Amount("amount"))).ToList();
        Assert.Equal([(b.Str("id"), 123.00m), (c.Str("id"), 77.00m)], allocations);
        Assert.Equal(0m, payment.Amount("unallocated"));
        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(538.00m, overview.Amount("balance"));       // 369 + 123 + 246 − 200
        Assert.Equal(169.00m, overview.Amount("overdueAmount")); // C: 246 − 77; A is not due yet
        Assert.Equal(1, overview["overdueCount"]!.GetValue<int>());
        Assert.Equal(1, overview["settledInvoiceCount"]!.GetValue<int>());
        _ = a;
    }

    [Fact]
    public async Task Explicit_allocations_settle_the_invoices_named()
    {
        var (sales, accountant) = await ClientsAsync();
        var partyId = (await sales.CreatePartyAsync()).Id();
        var older = await sales.CreateAndIssueAsync(partyId, "100.00", paymentTermDays: 1, issueDate: new DateOnly(2026, 3, 1)); // 123.00
        var newer = await sales.CreateAndIssueAsync(partyId, "50.00", paymentTermDays: 30);                                   // 61.50

        var payment = await accountant.PayAsync(partyId, "70.00", allocations: [new { invoiceId = newer.Id(), amount = "61.50" }]);

        var allocation = Assert.Single(payment.Arr("allocations"))!;
        Assert.Equal(newer.Str("id"), allocation.Str("invoiceId"));
        Assert.Equal(61.50m, allocation.Amount("amount"));
        Assert.Equal(8.50m, payment.Amount("unallocated"));
        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(123.00m, overview.Amount("overdueAmount")); // the older invoice is untouched
        Assert.Equal(8.50m, overview.Amount("unallocatedPayments"));
        Assert.Equal(114.50m, overview.Amount("balance"));       // 123.00 + 61.50 − 70.00
        _ = older;
    }

    [Fact]
    public async Task Allocating_to_another_partys_invoice_or_more_than_is_open_is_refused_and_nothing_is_written()
    {
        var (sales, accountant) = await ClientsAsync();
        var partyId = (await sales.CreatePartyAsync()).Id();
        var otherPartyId = (await sales.CreatePartyAsync()).Id();
        var own = await sales.CreateAndIssueAsync(partyId, "100.00");         // 123.00
        var foreign = await sales.CreateAndIssueAsync(otherPartyId, "100.00"); // 123.00
        var before = await CountsAsync();

        var foreignAttempt = await accountant.SendAsync(HttpMethod.Post, "/api/payments", new
        {
            partyId, amount = new { amount = "50.00", currency = "PLN" },
            allocations = new[] { new { invoiceId = foreign.Id(), amount = "50.00" } },
        });
        var tooMuch = await accountant.SendAsync(HttpMethod.Post, "/api/payments", new
        {
            partyId, amount = new { amount = "1000.00", currency = "PLN" },
            allocations = new[] { new { invoiceId = own.Id(), amount = "500.00" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, foreignAttempt.Status);
        Assert.NotNull(foreignAttempt.Body!["errors"]!["allocations[0].invoiceId"]);
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.Status);
        Assert.NotNull(tooMuch.Body!["errors"]!["allocations[0].amount"]);
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(123.00m, (await sales.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
    }

    [Fact]
    public async Task A_payment_recorded_as_through_the_gateway_posts_to_clearing_145_and_one_without_via_to_the_bank()
    {
        var (sales, accountant) = await ClientsAsync();
        var partyId = (await sales.CreatePartyAsync()).Id();
        var shopInvoice = await sales.CreateAndIssueAsync(partyId, "100.00"); // 123.00, paid through Przelewy24
        var transferInvoice = await sales.CreateAndIssueAsync(partyId, "50.00"); // 61.50, paid by bank transfer

        // The shop's "paid" webhook never came: the accountant records it by hand, in the casing the API docs show.
        var gateway = await accountant.PostCreatedAsync("/api/payments", new
        {
            partyId, amount = new { amount = "123.00", currency = "PLN" }, reference = "P24 #4711", via = "gatewayClearing",
            allocations = new[] { new { invoiceId = shopInvoice.Id(), amount = "123.00" } },
        });
        var bank = await accountant.PayAsync(partyId, "61.50", allocations: [new { invoiceId = transferInvoice.Id(), amount = "61.50" }]);

        Assert.Equal(("GatewayClearing", "Bank"), (gateway.Str("via"), bank.Str("via")));
        Assert.Equal(new Dictionary<string, (decimal, decimal)> { ["145"] = (123.00m, 0m), ["201"] = (0m, 123.00m) }, await PostingsAsync(accountant, gateway.Id()));
        Assert.Equal(new Dictionary<string, (decimal, decimal)> { ["130"] = (61.50m, 0m), ["201"] = (0m, 61.50m) }, await PostingsAsync(accountant, bank.Id()));
        var stored = await app.QueryAsync(db => db.Payments.Where(p => p.PartyId == partyId).OrderBy(p => p.Amount).Select(p => p.Via).ToListAsync());
        Assert.Equal([PaymentVia.Bank, PaymentVia.GatewayClearing], stored);
        Assert.Equal([0m, 0m], await app.QueryAsync(db => db.OpenItems.Where(o => o.PartyId == partyId).Select(o => o.OpenAmount).ToListAsync()));
        Assert.Equal(0m, (await sales.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        // The timeline names the gateway before the reference (the UI shows it in the reader's language); a bank payment only its reference.
        var timeline = (await sales.GetOkAsync($"/api/parties/{partyId}/timeline?kinds=Payment")).Arr("entries");
        Assert.Equal(["GatewayClearing · P24 #4711", bank.Str("reference")], timeline.OrderBy(e => e.Amount("amount")).Reverse().Select(e => e.Str("summary")).ToArray());
    }

    [Fact]
    public async Task An_unknown_via_or_a_supplier_paid_through_the_gateway_is_refused_naming_via_and_nothing_is_written()
    {
        var (sales, accountant) = await ClientsAsync();
        var partyId = (await sales.CreatePartyAsync()).Id();
        await sales.CreateAndIssueAsync(partyId, "100.00"); // 123.00
        var before = await CountsAsync();
        object Body(object via) => new { partyId, amount = new { amount = "123.00", currency = "PLN" }, reference = "P24 #1", via };

        var unknown = await accountant.SendAsync(HttpMethod.Post, "/api/payments", Body("paypal"));
        var number = await accountant.SendAsync(HttpMethod.Post, "/api/payments", Body(7));
        var supplier = await accountant.SendAsync(HttpMethod.Post, "/api/supplier-payments", Body("GatewayClearing"));

        foreach (var (status, body, _) in new[] { unknown, number, supplier })
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(["via"], body!["errors"]!.AsObject().Select(e => e.Key).ToArray());
        }
        Assert.Contains("supplier is paid from the bank", supplier.Body!["errors"]!["via"]![0]!.GetValue<string>());
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(123.00m, (await sales.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
    }

    /// <summary>The payment's own journal entry, per account: (debit, credit).</summary>
    private static async Task<Dictionary<string, (decimal, decimal)>> PostingsAsync(HttpClient accountant, Guid paymentId)
    {
        var entry = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={paymentId}")).AsArray().Single(e => e!.Str("sourceType") == "payment")!;
        return entry.Arr("lines").ToDictionary(l => l!.Str("accountCode"), l => (l!.Amount("debit"), l.Amount("credit")));
    }

    private Task<(int Payments, int Entries, int OpenItems, int Audit, decimal Open)> CountsAsync() => app.QueryAsync(async db =>
        (await db.Payments.CountAsync(), await db.JournalEntries.CountAsync(), await db.OpenItems.CountAsync(), await db.AuditEntries.CountAsync(),
         (await db.OpenItems.Select(o => o.OpenAmount).ToListAsync()).Sum()));
}

public sealed class SqlitePaymentAllocationTests(SqliteApp app) : PaymentAllocationTests<SqliteApp>(app);

public sealed class PostgresPaymentAllocationTests(PostgresApp app) : PaymentAllocationTests<PostgresApp>(app);
