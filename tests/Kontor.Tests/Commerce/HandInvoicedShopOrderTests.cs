using System.Net;
using System.Text.Json.Nodes;
using Kontor.Ledger;
using Kontor.Sales;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>
/// A shop order the shop said was paid, invoiced by a person (docs/commerce.md "Invoice moments", decisions §49): issuing the
/// invoice — by any path — registers the remembered gateway payment once, exactly as the flow does. The WooCommerce sample
/// order is 2 mugs × 45.00 + 1 kettle × 100.00 + 15.00 shipping = 205.00 net + 23 % VAT 47.15 = 252.15 gross.
/// </summary>
public abstract class HandInvoicedShopOrderTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-hand-0123456789abcdef";

    private sealed record Shop(HttpClient Admin, Guid ChannelId, string ChannelName, string Kubek, string Czajnik);

    private async Task<Shop> ShopAsync(string invoiceMoment)
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret, "Net", invoiceMoment);
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        var name = (await admin.GetOkAsync($"/api/channels/{channelId}")).Str("name");
        return new Shop(admin, channelId, name, kubek, czajnik);
    }

    /// <summary>Delivers the sample order; returns the order and its customer.</summary>
    private async Task<(Guid OrderId, Guid PartyId)> DeliverAsync(Shop shop, string id, string email, bool paid, string modified = "2026-03-20T10:02:14",
        string expectedOutcome = "Created")
    {
        var (status, answer) = await CommerceSamples.DeliverAsync(app.AnonymousClient(), shop.ChannelId, "woocommerce",
            WooOrder(id, shop.Kubek, shop.Czajnik, email, modified, paid: paid, status: paid ? "processing" : "on-hold").ToJsonString(), Secret);
        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        Assert.Equal(expectedOutcome, answer.Str("outcome"));
        var orderId = Guid.Parse(answer.Str("orderId"));
        var order = await (await app.ClientAsync(Roles.Admin)).GetOkAsync($"/api/orders/{orderId}");   // a token of the test clock's day
        return (orderId, Guid.Parse(order.Str("partyId")));
    }

    /// <summary>"Make an invoice" on the order page: a draft from the orders, through the normal order → invoice path.</summary>
    private static async Task<Guid> HandDraftAsync(HttpClient admin, params Guid[] orderIds) =>
        Guid.Parse((await admin.PostCreatedAsync("/api/orders/invoice", new { orderIds })).Str("invoiceId"));

    private sealed record PaymentRow(Guid Id, DateOnly Date, decimal Amount, string Currency, string? Reference);

    private Task<List<PaymentRow>> PaymentsAsync(Guid partyId) => app.QueryAsync(async db =>
        (await db.Payments.Where(p => p.PartyId == partyId).ToListAsync())
        .OrderBy(p => p.Reference).Select(p => new PaymentRow(p.Id, p.Date, p.Amount, p.Currency, p.Reference)).ToList());

    private Task<List<(string Account, decimal Debit, decimal Credit)>> PostingsOfAsync(Guid sourceId) =>
        app.QueryAsync(async db => (await db.JournalLines.Where(l => db.JournalEntries.Any(e => e.Id == l.EntryId && e.SourceId == sourceId))
            .Select(l => new { l.AccountCode, l.Debit, l.Credit }).ToListAsync())
            .Select(l => (l.AccountCode, l.Debit, l.Credit)).OrderByDescending(l => l.Debit).ThenBy(l => l.AccountCode).ToList());

    private Task<List<decimal>> AllocationsToAsync(Guid invoiceId) =>
        app.QueryAsync(db => db.PaymentAllocations.Where(a => a.SourceId == invoiceId).Select(a => a.Amount).ToListAsync());

    private Task<(decimal Open, DateOnly? SettledOn)> OpenItemAsync(Guid invoiceId) => app.QueryAsync(async db =>
    {
        var item = await db.OpenItems.SingleAsync(o => o.SourceId == invoiceId && o.Side == OpenItemSide.Receivable);
        return (item.OpenAmount, item.SettledOn);
    });

    private async Task AssertBooksBalancedAsync(HttpClient admin) =>
        Assert.True((await admin.GetOkAsync("/api/ledger/trial-balance?asOf=2026-12-31"))["balanced"]!.GetValue<bool>());

    private Task<int> NotRegisteredAuditsAsync(Guid orderId) => app.QueryAsync(db =>
        db.AuditEntries.CountAsync(a => a.Action == "order.shop-payment-not-registered" && a.EntityId == orderId.ToString()));

    [Fact]
    public async Task A_paid_order_of_a_Never_channel_invoiced_by_hand_as_a_draft_gets_its_gateway_payment_when_the_draft_is_issued_and_only_then()
    {
        var shop = await ShopAsync("Never");
        var id = UniqueId();
        var email = $"hand{id}@example.com";
        var (orderId, partyId) = await DeliverAsync(shop, id, email, paid: true);
        Assert.Equal("2026-03-20", (await shop.Admin.GetOkAsync($"/api/orders/{orderId}")).Str("paidAtShopOn"));

        var invoiceId = await HandDraftAsync(shop.Admin, orderId);
        Assert.Empty(await PaymentsAsync(partyId));   // a draft is no debt: nothing to pay yet

        // Issued three days after the shop said paid: the payment is dated the invoice's day (the later of the two).
        app.Clock.SetDate(new DateOnly(2026, 3, 23));
        try
        {
            var admin = await app.ClientAsync(Roles.Admin);
            var issued = await admin.PostOkAsync($"/api/invoices/{invoiceId}/issue");
            Assert.Equal(("Issued", "2026-03-23", 252.15m), (issued.Str("status"), issued.Str("issueDate"), issued.Amount("totalGross")));

            var payment = Assert.Single(await PaymentsAsync(partyId));
            Assert.Equal((new DateOnly(2026, 3, 23), 252.15m, "PLN", $"{shop.ChannelName} #{id}"), (payment.Date, payment.Amount, payment.Currency, payment.Reference));
            Assert.Equal([("145", 252.15m, 0m), ("201", 0m, 252.15m)], await PostingsOfAsync(payment.Id));
            Assert.Equal([252.15m], await AllocationsToAsync(invoiceId));
            Assert.Equal((0m, (DateOnly?)new DateOnly(2026, 3, 23)), await OpenItemAsync(invoiceId));
            Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
            await AssertBooksBalancedAsync(admin);

            // Issuing again is refused (409) and pays nothing; the shop saying paid again (a newer update) pays nothing either.
            var (again, _, _) = await admin.SendAsync(HttpMethod.Post, $"/api/invoices/{invoiceId}/issue");
            Assert.Equal(HttpStatusCode.Conflict, again);
            await DeliverAsync(shop, id, email, paid: true, modified: "2026-03-23T09:00:00", expectedOutcome: "Updated");
            Assert.Equal([252.15m], (await PaymentsAsync(partyId)).Select(p => p.Amount));
            Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
            Assert.Equal(0, await NotRegisteredAuditsAsync(orderId));
        }
        finally
        {
            app.Clock.SetDate(KontorApp.DefaultToday);
        }
    }

    [Fact]
    public async Task An_OnShipment_order_paid_then_invoiced_by_hand_before_shipping_is_paid_once_at_issue_and_shipping_adds_nothing()
    {
        var shop = await ShopAsync("OnShipment");
        var id = UniqueId();
        var (orderId, partyId) = await DeliverAsync(shop, id, $"ship{id}@example.com", paid: true);
        var invoiceId = await HandDraftAsync(shop.Admin, orderId);

        await shop.Admin.PostOkAsync($"/api/invoices/{invoiceId}/issue");

        var payment = Assert.Single(await PaymentsAsync(partyId));
        Assert.Equal((KontorApp.DefaultToday, 252.15m), (payment.Date, payment.Amount));
        Assert.Equal([("145", 252.15m, 0m), ("201", 0m, 252.15m)], await PostingsOfAsync(payment.Id));

        // Shipping an order that already has its invoice makes no second invoice and no second payment.
        foreach (var (sku, quantity) in new[] { (shop.Kubek, "2"), (shop.Czajnik, "1") })
        {
            var productId = await app.QueryAsync(db => db.Products.Where(p => p.Sku == sku).Select(p => p.Id).SingleAsync());
            var receipt = await shop.Admin.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", lines = new[] { new { productId, quantity, unitCost = "5.00" } } });
            await shop.Admin.PostOkAsync($"/api/stock-documents/{receipt.Id()}/post");
        }
        var shipped = await shop.Admin.PostOkAsync($"/api/orders/{orderId}/ship", new { trackingNumber = "RR123456785PL", carrier = "Poczta Polska" });
        Assert.Equal(invoiceId, Guid.Parse(shipped.Str("invoiceId")));
        Assert.Equal(1, await app.QueryAsync(db => db.Invoices.CountAsync(i => i.PartyId == partyId)));
        Assert.Equal([252.15m], (await PaymentsAsync(partyId)).Select(p => p.Amount));
        Assert.Equal((0m, (DateOnly?)KontorApp.DefaultToday), await OpenItemAsync(invoiceId));
        await AssertBooksBalancedAsync(shop.Admin);
    }

    [Fact]
    public async Task Two_paid_orders_on_one_hand_invoice_get_two_payments_of_their_own_gross_when_it_is_issued()
    {
        var shop = await ShopAsync("Never");
        var email = $"two{UniqueId()}@example.com";
        var (idA, idB) = (UniqueId(), UniqueId());
        var (orderA, partyId) = await DeliverAsync(shop, idA, email, paid: true);
        var (orderB, partyB) = await DeliverAsync(shop, idB, email, paid: true);
        Assert.Equal(partyId, partyB);
        var invoiceId = await HandDraftAsync(shop.Admin, orderA, orderB);

        var issued = await shop.Admin.PostOkAsync($"/api/invoices/{invoiceId}/issue");

        // 2 × 205.00 = 410.00 net + 23 % VAT 94.30 = 504.30; each order's payment is its own 252.15.
        Assert.Equal(504.30m, issued.Amount("totalGross"));
        var payments = await PaymentsAsync(partyId);
        Assert.Equal(new[] { ($"{shop.ChannelName} #{idA}", 252.15m), ($"{shop.ChannelName} #{idB}", 252.15m) }.OrderBy(p => p.Item1, StringComparer.Ordinal),
            payments.Select(p => (p.Reference!, p.Amount)).OrderBy(p => p.Item1, StringComparer.Ordinal));
        foreach (var payment in payments)
            Assert.Equal([("145", 252.15m, 0m), ("201", 0m, 252.15m)], await PostingsOfAsync(payment.Id));
        Assert.Equal([252.15m, 252.15m], await AllocationsToAsync(invoiceId));
        Assert.Equal((0m, (DateOnly?)KontorApp.DefaultToday), await OpenItemAsync(invoiceId));
        Assert.Equal(0m, (await shop.Admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        await AssertBooksBalancedAsync(shop.Admin);
    }

    [Fact]
    public async Task An_order_not_paid_at_the_shop_gets_no_payment_at_issue_and_the_later_paid_delivery_settles_the_hand_invoice()
    {
        var shop = await ShopAsync("Never");
        var id = UniqueId();
        var email = $"unpaid{id}@example.com";
        var (orderId, partyId) = await DeliverAsync(shop, id, email, paid: false);
        var invoiceId = await HandDraftAsync(shop.Admin, orderId);

        await shop.Admin.PostOkAsync($"/api/invoices/{invoiceId}/issue");

        Assert.Empty(await PaymentsAsync(partyId));
        Assert.Equal((252.15m, (DateOnly?)null), await OpenItemAsync(invoiceId));
        Assert.Equal(252.15m, (await shop.Admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));

        // Two days later the shop says paid: the issued invoice gets the payment then, dated that day.
        app.Clock.SetDate(KontorApp.DefaultToday.AddDays(2));
        try
        {
            await DeliverAsync(shop, id, email, paid: true, modified: "2026-03-22T08:00:00", expectedOutcome: "Updated");
            var payment = Assert.Single(await PaymentsAsync(partyId));
            Assert.Equal((new DateOnly(2026, 3, 22), 252.15m, $"{shop.ChannelName} #{id}"), (payment.Date, payment.Amount, payment.Reference));
            Assert.Equal([252.15m], await AllocationsToAsync(invoiceId));
            Assert.Equal((0m, (DateOnly?)new DateOnly(2026, 3, 22)), await OpenItemAsync(invoiceId));
            var admin = await app.ClientAsync(Roles.Admin);
            Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
            await AssertBooksBalancedAsync(admin);
        }
        finally
        {
            app.Clock.SetDate(KontorApp.DefaultToday);
        }
    }

    [Fact]
    public async Task Hand_drafts_issued_together_in_a_batch_pay_each_paid_shop_order_once_also_one_drafted_before_the_shop_said_paid()
    {
        // OnPayment: a person drafted the invoice before the paid delivery, which then finds a draft and waits for its issue.
        var onPayment = await ShopAsync("OnPayment");
        var idA = UniqueId();
        var emailA = $"early{idA}@example.com";
        var (orderA, partyA) = await DeliverAsync(onPayment, idA, emailA, paid: false);
        var invoiceA = await HandDraftAsync(onPayment.Admin, orderA);
        await DeliverAsync(onPayment, idA, emailA, paid: true, modified: "2026-03-20T11:00:00", expectedOutcome: "Updated");
        Assert.Empty(await PaymentsAsync(partyA));
        Assert.Equal(1, await app.QueryAsync(db => db.Invoices.CountAsync(i => i.PartyId == partyA)));   // the flow made no second invoice

        // Never: paid, then drafted by hand.
        var never = await ShopAsync("Never");
        var idB = UniqueId();
        var (orderB, partyB) = await DeliverAsync(never, idB, $"late{idB}@example.com", paid: true);
        var invoiceB = await HandDraftAsync(never.Admin, orderB);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<InvoiceService>().IssueManyAsync([invoiceA, invoiceB]);
            Assert.Empty(result.Refused);
            Assert.Equal(2, result.Invoices.Count);
        }

        var paymentA = Assert.Single(await PaymentsAsync(partyA));
        var paymentB = Assert.Single(await PaymentsAsync(partyB));
        Assert.Equal((252.15m, $"{onPayment.ChannelName} #{idA}"), (paymentA.Amount, paymentA.Reference));
        Assert.Equal((252.15m, $"{never.ChannelName} #{idB}"), (paymentB.Amount, paymentB.Reference));
        Assert.Equal([252.15m], await AllocationsToAsync(invoiceA));
        Assert.Equal([252.15m], await AllocationsToAsync(invoiceB));
        Assert.Equal(0m, (await OpenItemAsync(invoiceA)).Open);
        Assert.Equal(0m, (await OpenItemAsync(invoiceB)).Open);
        await AssertBooksBalancedAsync(onPayment.Admin);
    }

    [Fact]
    public async Task The_OnPayment_flow_still_registers_exactly_one_payment_per_order_also_for_orders_arriving_together()
    {
        var shop = await ShopAsync("OnPayment");
        var ids = Enumerable.Range(0, 3).Select(_ => UniqueId()).ToList();

        // Three new paid orders at once (the ingestion queue takes them as one batch when they meet), each delivered twice.
        var answers = await Task.WhenAll(ids.Concat(ids).Select(id => CommerceSamples.DeliverAsync(app.CreateClient(), shop.ChannelId, "woocommerce",
            WooOrder(id, shop.Kubek, shop.Czajnik, $"flow{id}@example.com").ToJsonString(), Secret)));
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{a.Status} {a.Body?.ToJsonString()}"));

        foreach (var orderId in answers.Select(a => Guid.Parse(a.Body.Str("orderId"))).Distinct())
        {
            var order = await (await app.ClientAsync(Roles.Admin)).GetOkAsync($"/api/orders/{orderId}");   // a token of the test clock's day
            var partyId = Guid.Parse(order.Str("partyId"));
            var invoiceId = Guid.Parse(order.Str("invoiceId"));
            Assert.Equal(1, await app.QueryAsync(db => db.Invoices.CountAsync(i => i.PartyId == partyId && i.Status == InvoiceStatus.Issued)));
            var payment = Assert.Single(await PaymentsAsync(partyId));
            Assert.Equal((KontorApp.DefaultToday, 252.15m), (payment.Date, payment.Amount));
            Assert.Equal([("145", 252.15m, 0m), ("201", 0m, 252.15m)], await PostingsOfAsync(payment.Id));
            Assert.Equal([252.15m], await AllocationsToAsync(invoiceId));
            Assert.Equal(0m, (await OpenItemAsync(invoiceId)).Open);
            // The flow pays its own invoices (the issue handler leaves them alone): no second attempt finding nothing open.
            Assert.Equal(0, await NotRegisteredAuditsAsync(orderId));
        }
        Assert.Equal(3, answers.Select(a => a.Body.Str("orderId")).Distinct().Count());
        await AssertBooksBalancedAsync(shop.Admin);
    }

    /// <summary>Replaces a draft's buyer and lines the way a person edits it (the service the invoice form calls).</summary>
    private async Task EditDraftAsync(Guid invoiceId, Func<Guid, Guid> buyer, Func<List<InvoiceLineInput>, List<InvoiceLineInput>> lines)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Kontor.Persistence.KontorDbContext>();
        var draft = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleAsync(i => i.Id == invoiceId);
        await scope.ServiceProvider.GetRequiredService<InvoiceService>().UpdateDraftAsync(invoiceId, new SaveInvoiceDraft(buyer(draft.PartyId), draft.Currency,
            draft.PricingMode, null, null, null, draft.Notes, lines([.. draft.Lines.OrderBy(l => l.Position).Select(l => l.ToCopiedInput())])));
    }

    [Fact]
    public async Task A_paid_order_invoiced_by_hand_to_another_buyer_is_issued_and_the_payment_is_that_buyers()
    {
        // The customer wants the invoice made out to their company: the shop's money pays the company's invoice.
        var shop = await ShopAsync("Never");
        var id = UniqueId();
        var (orderId, customerId) = await DeliverAsync(shop, id, $"firma{id}@example.com", paid: true);
        var invoiceId = await HandDraftAsync(shop.Admin, orderId);
        var companyId = (await shop.Admin.CreatePartyAsync()).Id();
        await EditDraftAsync(invoiceId, _ => companyId, lines => lines);

        var issued = await shop.Admin.PostOkAsync($"/api/invoices/{invoiceId}/issue");

        Assert.Equal(252.15m, issued.Amount("totalGross"));
        Assert.Equal([252.15m], (await PaymentsAsync(companyId)).Select(p => p.Amount));
        Assert.Empty(await PaymentsAsync(customerId));
        Assert.Equal((0m, (DateOnly?)KontorApp.DefaultToday), await OpenItemAsync(invoiceId));
        await AssertBooksBalancedAsync(shop.Admin);
    }

    [Fact]
    public async Task Two_paid_orders_on_a_hand_invoice_smaller_than_their_sum_are_paid_up_to_what_is_open()
    {
        var shop = await ShopAsync("Never");
        var email = $"mniej{UniqueId()}@example.com";
        var (orderA, partyId) = await DeliverAsync(shop, UniqueId(), email, paid: true);
        var (orderB, _) = await DeliverAsync(shop, UniqueId(), email, paid: true);
        var invoiceId = await HandDraftAsync(shop.Admin, orderA, orderB);
        // The person drops the second order's shipping: 504.30 − (15.00 + 3.45) = 485.85.
        await EditDraftAsync(invoiceId, party => party, lines => lines[..^1]);

        var issued = await shop.Admin.PostOkAsync($"/api/invoices/{invoiceId}/issue");

        // A pays its 252.15, B what is left open: 233.70. Nothing beyond the invoice, no refusal of the issue.
        Assert.Equal(485.85m, issued.Amount("totalGross"));
        Assert.Equal([233.70m, 252.15m], (await PaymentsAsync(partyId)).Select(p => p.Amount).Order());
        Assert.Equal(0m, (await OpenItemAsync(invoiceId)).Open);
        await AssertBooksBalancedAsync(shop.Admin);
    }

    [Fact]
    public async Task A_deleted_hand_draft_frees_its_order_and_a_later_paid_delivery_is_taken()
    {
        var shop = await ShopAsync("Never");
        var id = UniqueId();
        var email = $"usun{id}@example.com";
        var (orderId, partyId) = await DeliverAsync(shop, id, email, paid: false);
        var invoiceId = await HandDraftAsync(shop.Admin, orderId);
        await shop.Admin.ExpectAsync(HttpMethod.Delete, $"/api/invoices/{invoiceId}", null, HttpStatusCode.NoContent);

        // The order may be invoiced again, and the shop's "paid" (answered 500 before, for ever) is taken and remembered.
        Assert.Null((await shop.Admin.GetOkAsync($"/api/orders/{orderId}"))["invoiceId"]?.GetValue<string>());
        await DeliverAsync(shop, id, email, paid: true, modified: "2026-03-20T11:00:00", expectedOutcome: "Updated");
        Assert.Empty(await PaymentsAsync(partyId));
        var again = await HandDraftAsync(shop.Admin, orderId);
        await shop.Admin.PostOkAsync($"/api/invoices/{again}/issue");
        Assert.Equal([252.15m], (await PaymentsAsync(partyId)).Select(p => p.Amount));
    }

    [Fact]
    public async Task A_paid_order_invoiced_by_advance_and_final_is_settled_in_full_by_the_gateway_payment()
    {
        var shop = await ShopAsync("Never");
        var id = UniqueId();
        var (orderId, partyId) = await DeliverAsync(shop, id, $"zal{id}@example.com", paid: true);
        var advance = await shop.Admin.PostCreatedAsync($"/api/orders/{orderId}/advance-invoices",
            new { amount = new { amount = "100.00", currency = "PLN" }, receivedOn = "2026-03-20" });
        await shop.Admin.PostOkAsync($"/api/invoices/{advance.Id()}/issue");
        Assert.Empty(await PaymentsAsync(partyId));
        var final = await shop.Admin.PostCreatedAsync($"/api/orders/{orderId}/final-invoice", new { });

        var issued = await shop.Admin.PostOkAsync($"/api/invoices/{final.Id()}/issue");

        // The shop took 252.15: one payment settles the final invoice (152.15) and the advance invoice (100.00).
        Assert.Equal(152.15m, issued.Amount("totalGross"));
        var payment = Assert.Single(await PaymentsAsync(partyId));
        Assert.Equal(252.15m, payment.Amount);
        Assert.Equal([152.15m], await AllocationsToAsync(final.Id()));
        Assert.Equal([100.00m], await AllocationsToAsync(advance.Id()));
        Assert.Equal(0m, (await shop.Admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        await AssertBooksBalancedAsync(shop.Admin);
    }
}

public sealed class SqliteHandInvoicedShopOrderTests(SqliteApp app) : HandInvoicedShopOrderTests<SqliteApp>(app);

public sealed class PostgresHandInvoicedShopOrderTests(PostgresApp app) : HandInvoicedShopOrderTests<PostgresApp>(app);
