using System.Net;
using System.Text.Json.Nodes;
using Kontor.Orders;
using Kontor.Security;
using Kontor.Tests.Banking;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>
/// Returns and refunds (docs/commerce.md "Returns and refunds"): the correction invoice, the ZW at the issue cost, the refund through
/// the gateway clearing account (145) or the bank, the order's status — one transaction, never doubled — and the shops' refund webhooks.
/// Every figure is worked out by hand in the comments.
/// </summary>
public abstract partial class OrderReturnTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-test-0123456789abcdef";

    private Task<Guid> ProductIdAsync(string sku) => app.QueryAsync(db => db.Products.Where(p => p.Sku == sku).Select(p => p.Id).SingleAsync());

    private static async Task ReceiveAsync(HttpClient client, Guid productId, string quantity, string unitCost)
    {
        var pz = await client.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", lines = new[] { new { productId, quantity, unitCost } } });
        await client.PostOkAsync($"/api/stock-documents/{pz.Id()}/post");
    }

    private static async Task<JsonNode> ShipAsync(HttpClient client, Guid orderId)
    {
        var wz = await client.PostCreatedAsync($"/api/orders/{orderId}/issue", new { });
        await client.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });
        await client.PostOkAsync($"/api/orders/{orderId}/status", new { status = "Shipped" });
        return wz;
    }

    private Task<decimal> OnHandAsync(Guid productId) =>
        app.QueryAsync(async db => (await db.StockLevels.Where(s => s.ProductId == productId).Select(s => s.OnHand).ToListAsync()).Sum());

    /// <summary>Debits and credits per account of the journal entries of one source document.</summary>
    private Task<Dictionary<string, (decimal Debit, decimal Credit)>> PostingsOfAsync(Guid sourceId) =>
        app.QueryAsync(async db => (await db.JournalLines.Where(l => db.JournalEntries.Any(e => e.Id == l.EntryId && e.SourceId == sourceId))
                .Select(l => new { l.AccountCode, l.Debit, l.Credit }).ToListAsync())
            .GroupBy(l => l.AccountCode).ToDictionary(g => g.Key, g => (g.Sum(x => x.Debit), g.Sum(x => x.Credit))));

    private Task<(int Corrections, int Zw, int Returns, int Payments)> CountsAsync(Guid orderId, Guid partyId) =>
        app.QueryAsync(async db => (
            await db.DocumentLinks.CountAsync(l => l.FromId == orderId && l.ToType == "correction"),
            await db.StockDocuments.CountAsync(d => d.OrderId == orderId && d.Kind == Kontor.Inventory.StockDocumentKind.ZW),
            await db.Set<OrderReturn>().CountAsync(r => r.OrderId == orderId),
            await db.Payments.CountAsync(p => p.PartyId == partyId)));

    private async Task<(HttpClient Admin, Guid ChannelId, string Kubek, string Czajnik)> WooSetupAsync(bool restockOnRefund = true)
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = (await admin.PostCreatedAsync("/api/channels", new
        {
            name = $"Woo {Guid.NewGuid():N}"[..20], type = "WooCommerce", secret = Secret, invoiceMoment = "OnPayment",
            customerMatching = new[] { "Email" }, createCompanyForVatId = true, priceMode = "Net", restockOnRefund,
        })).Id();
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        // Mugs: 1 at 4.00 then 10 at 5.00 (FIFO: the order's 2 mugs cost 4.00 + 5.00 = 9.00); kettles: 2 at 60.00 (1 issued = 60.00).
        await ReceiveAsync(admin, await ProductIdAsync(kubek), "1", "4.00");
        await ReceiveAsync(admin, await ProductIdAsync(kubek), "10", "5.00");
        await ReceiveAsync(admin, await ProductIdAsync(czajnik), "2", "60.00");
        return (admin, channelId, kubek, czajnik);
    }

    /// <summary>A paid WooCommerce order (2 mugs 90.00 + kettle 100.00 + shipping 15.00 net = 205.00 + VAT 47.15 = 252.15), invoiced and paid through the gateway.</summary>
    private async Task<(Guid OrderId, Guid PartyId, Guid InvoiceId, string Id, string Email)> PaidWooOrderAsync(HttpClient admin, Guid channelId, string kubek, string czajnik)
    {
        var id = UniqueId();
        var email = $"ret{id}@example.com";
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, email).ToJsonString(), Secret);
        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        var order = await admin.GetOkAsync($"/api/orders/{answer.Str("orderId")}");
        return (order.Id(), Guid.Parse(order.Str("partyId")), Guid.Parse(order.Str("invoiceId")), id, email);
    }

    [Fact]
    public async Task The_gateway_payment_goes_to_145_and_the_payout_from_the_bank_statement_clears_it()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var (_, partyId, _, _, _) = await PaidWooOrderAsync(admin, channelId, kubek, czajnik);

        var paymentId = await app.QueryAsync(db => db.Payments.Where(p => p.PartyId == partyId).Select(p => p.Id).SingleAsync());
        // The gateway holds the customer's money: Dr 145 / Cr 201 252.15, nothing on the bank yet.
        var payment = await PostingsOfAsync(paymentId);
        Assert.Equal((252.15m, 0m), payment["145"]);
        Assert.Equal((0m, 252.15m), payment["201"]);
        Assert.False(payment.ContainsKey("130"));

        // The gateway's payout (several orders at once, less nothing here) on the bank statement, booked from the queue: Dr 130 / Cr 145.
        await TestStatements.EnsureCompanyAccountAsync(app);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var title = "Wyplata PayU " + UniqueId();
        var imported = await TestStatements.ImportAsync(accountant, TestStatements.Mt940(new TestStatementLine(1234.56m, title, Name: "PayU SA")));
        var queue = (await accountant.GetOkAsync($"/api/reconciliation?statementId={imported.Arr("statements")[0]!.Id()}&direction=All")).AsArray();
        var lineId = queue.Single(i => (i!["line"]!["title"]?.GetValue<string>() ?? "").Contains(title, StringComparison.Ordinal))!["line"]!.Id();
        await accountant.PostOkAsync($"/api/reconciliation/{lineId}/book", new { accountCode = "145", note = "Wypłata bramki płatności" });
        var payout = await PostingsOfAsync(lineId);
        Assert.Equal((1234.56m, 0m), payout["130"]);
        Assert.Equal((0m, 1234.56m), payout["145"]);
        var accounts = (await admin.GetOkAsync("/api/ledger/accounts")).AsArray();
        Assert.Contains(accounts, a => a.Str("code") == "145");
    }

    [Fact]
    public async Task A_full_return_of_a_paid_shop_order_corrects_the_invoice_takes_the_goods_back_at_FIFO_cost_and_refunds_through_145()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var (kubekId, czajnikId) = (await ProductIdAsync(kubek), await ProductIdAsync(czajnik));
        var (orderId, partyId, invoiceId, _, _) = await PaidWooOrderAsync(admin, channelId, kubek, czajnik);
        var wz = await ShipAsync(admin, orderId);
        Assert.Equal(69.00m, (await PostingsOfAsync(wz.Id()))["731"].Debit);   // 4.00 + 5.00 + 60.00
        Assert.Equal((9m, 1m), (await OnHandAsync(kubekId), await OnHandAsync(czajnikId)));

        var returned = await admin.PostCreatedAsync($"/api/orders/{orderId}/return", new { reason = "Odstąpienie od umowy", refund = true });

        // Everything came back: the correction takes every line to zero, shipping included (art. 32 consumer rights): −205.00 / −47.15 / −252.15.
        var correctionId = Guid.Parse(returned.Str("correctionInvoiceId"));
        var correction = await admin.GetOkAsync($"/api/invoices/{correctionId}");
        Assert.Equal(("Issued", "Correction", -205.00m, -47.15m, -252.15m),
            (correction.Str("status"), correction.Str("kind"), correction.Amount("totalNet"), correction.Amount("totalVat"), correction.Amount("totalGross")));
        Assert.Equal(invoiceId.ToString(), correction.Str("correctedInvoiceId"));
        var corrected = await PostingsOfAsync(correctionId);
        Assert.Equal((0m, 252.15m), corrected["201"]);
        Assert.Equal((205.00m, 47.15m), (corrected["700"].Debit, corrected["221"].Debit));

        // The ZW brings the goods back at what they went out at: 9.00 + 60.00 = 69.00, Dr 330 / Cr 731.
        var zwId = Guid.Parse(returned.Str("stockDocumentId"));
        var zw = await PostingsOfAsync(zwId);
        Assert.Equal((69.00m, 0m), zw["330"]);
        Assert.Equal((0m, 69.00m), zw["731"]);
        Assert.Equal((11m, 2m), (await OnHandAsync(kubekId), await OnHandAsync(czajnikId)));

        // The refund gives the 252.15 back through the gateway: Dr 201 / Cr 145; the customer owes nothing and has no credit.
        var refundId = Guid.Parse(returned.Str("refundPaymentId"));
        var refund = await PostingsOfAsync(refundId);
        Assert.Equal((252.15m, 0m), refund["201"]);
        Assert.Equal((0m, 252.15m), refund["145"]);
        Assert.Equal((252.15m, 252.15m), (returned.Amount("credited"), returned.Amount("refunded")));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        var on145 = await app.QueryAsync(async db => (await db.JournalLines
            .Where(l => l.AccountCode == "145" && db.JournalEntries.Any(e => e.Id == l.EntryId && db.Payments.Any(p => p.Id == e.SourceId && p.PartyId == partyId)))
            .Select(l => new { l.Debit, l.Credit }).ToListAsync()).Sum(l => l.Debit - l.Credit));
        Assert.Equal(0m, on145);
        Assert.True((await admin.GetOkAsync("/api/ledger/trial-balance"))["balanced"]!.GetValue<bool>());

        // The order: Returned, its return listed, linked to the correction and the ZW; the timeline shows the return.
        var order = await admin.GetOkAsync($"/api/orders/{orderId}");
        Assert.Equal("Returned", order.Str("status"));
        var listed = Assert.Single(order["returns"]!.Arr("returns"));
        Assert.Equal((correction.Str("number"), true), (listed.Str("correctionNumber"), listed!["restocked"]!.GetValue<bool>()));
        Assert.All(order["returns"]!.Arr("lines"), l => Assert.Equal(0m, l!["returnable"]!.GetValue<decimal>()));
        var links = order.Arr("links").Select(l => l.Str("id")).ToList();
        Assert.Contains(correctionId.ToString(), links);
        Assert.Contains(zwId.ToString(), links);
        var timeline = await admin.GetOkAsync($"/api/parties/{partyId}/timeline?kinds=Return,Correction,Payment");
        Assert.Contains(timeline.Arr("entries"), e => e.Str("kind") == "Return" && e.Str("sourceId") == returned.Str("id"));
        Assert.Contains(timeline.Arr("entries"), e => e.Str("kind") == "Correction");
        Assert.Equal(2, timeline.Arr("entries").Count(e => e.Str("kind") == "Payment"));
        Assert.Contains(await app.QueryAsync(db => db.AuditEntries.Where(a => a.EntityId == orderId.ToString()).Select(a => a.Action).ToListAsync()), a => a == "order.returned");

        // Nothing is left to come back: a second return is a conflict and writes nothing.
        var before = await CountsAsync(orderId, partyId);
        var (again, _, _) = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/return", new { reason = "again", refund = true });
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal(before, await CountsAsync(orderId, partyId));
    }

    /// <summary>A manual order of 3 × 100.00 net (VAT 23%: 369.00 gross), invoiced, paid 369.00 to the bank, issued (3 at 10.00 = 30.00) and shipped.</summary>
    /// <summary>A gross Shopify order of 3 backpacks at 123.00 (+ shipping 10.00), 5 on stock at 50.00: the refund tests' start.</summary>
    /// <param name="shopSku">The shop's own SKU for the backpack, mapped to the product (docs/commerce.md "Mapping a shop's SKU").</param>
    private async Task<(HttpClient Admin, Guid ChannelId, Guid ProductId, JsonObject Order, long LineItemId, Guid OrderId)> ShopifyBackpacksOrderAsync(string? shopSku = null)
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "Shopify", Secret, priceMode: "Gross");
        var productId = (await CreateProductAsync(admin, Sku())).Id();
        if (shopSku is not null) await admin.PostCreatedAsync("/api/integrations/sku-mappings", new { sku = shopSku, productId });
        var sku = shopSku ?? (await admin.GetOkAsync($"/api/products/{productId}")).Str("sku");
        await ReceiveAsync(admin, productId, "5", "50.00");
        var id = UniqueId();
        var order = Load("shopify-order.json");
        order["id"] = long.Parse(id);
        order["currency"] = "PLN";
        order["email"] = $"shop{id}@example.com";
        var item = order["line_items"]![0]!;
        item["sku"] = sku;
        item["quantity"] = 3;
        item["price"] = "123.00";
        item["total_discount"] = "0.00";
        var lineItemId = item["id"]!.GetValue<long>();
        var (created, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "shopify", order.ToJsonString(), Secret);
        Assert.True(created == HttpStatusCode.OK, answer?.ToJsonString());
        var orderId = Guid.Parse(answer.Str("orderId"));
        return (admin, channelId, productId, order, lineItemId, orderId);
    }

    /// <summary>A Shopify refund of <paramref name="quantity"/> of the order's line <paramref name="lineItemId"/>.</summary>
    private static JsonObject ShopifyRefund(long refundId, long lineItemId, string restockType = "return", int quantity = 1) => new()
    {
        ["id"] = refundId,
        ["refund_line_items"] = new JsonArray(new JsonObject { ["line_item_id"] = lineItemId, ["quantity"] = quantity, ["restock_type"] = restockType }),
    };

    /// <summary>The order as Shopify sends it after its refunds (all of them, each time), as the webhook's body.</summary>
    private static string WithRefunds(JsonObject order, string financialStatus, string updatedAt, params JsonObject[] refunds)
    {
        order["financial_status"] = financialStatus;
        order["updated_at"] = updatedAt;
        order["refunds"] = new JsonArray(refunds);
        return order.ToJsonString();
    }

    private async Task<(HttpClient Admin, Guid OrderId, Guid PartyId, Guid ProductId)> ShippedManualOrderAsync(decimal quantity = 3m)
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var partyId = (await admin.CreatePartyAsync()).Id();
        var productId = (await CreateProductAsync(admin, Sku(), "100.00")).Id();
        await ReceiveAsync(admin, productId, "5", "10.00");
        var order = await admin.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { productId, description = "Towar", quantity = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture), unitPrice = "100.00", vatRateCode = "23", unit = "szt." } },
        });
        var draft = await admin.PostCreatedAsync("/api/orders/invoice", new { orderIds = new[] { order.Id() } });
        var invoice = await admin.IssueAsync(Guid.Parse(draft.Str("invoiceId")));
        await admin.PayAsync(partyId, invoice.Amount("totalGross").ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        await ShipAsync(admin, order.Id());
        return (admin, order.Id(), partyId, productId);
    }

    [Fact]
    public async Task A_partial_return_of_one_of_three_keeps_the_status_an_over_return_is_400_with_nothing_written_and_sales_may_not_return()
    {
        var (admin, orderId, partyId, productId) = await ShippedManualOrderAsync();

        var sales = await app.ClientAsync(Roles.Sales);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/return", new { reason = "x" })).Status);

        var one = await admin.PostCreatedAsync($"/api/orders/{orderId}/return", new { lines = new[] { new { productId, quantity = "1" } }, reason = "Uszkodzony", refund = true });
        // 3 → 2 at 100.00: net −100.00, VAT (200.00 × 23% = 46.00) − 69.00 = −23.00, gross −123.00, paid back by bank transfer (not a shop order).
        var correction = await admin.GetOkAsync($"/api/invoices/{one.Str("correctionInvoiceId")}");
        Assert.Equal((-100.00m, -23.00m, -123.00m), (correction.Amount("totalNet"), correction.Amount("totalVat"), correction.Amount("totalGross")));
        Assert.Equal(10.00m, (await PostingsOfAsync(Guid.Parse(one.Str("stockDocumentId"))))["330"].Debit);
        var refund = await PostingsOfAsync(Guid.Parse(one.Str("refundPaymentId")));
        Assert.Equal(((123.00m, 0m), (0m, 123.00m)), (refund["201"], refund["130"]));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        var order = await admin.GetOkAsync($"/api/orders/{orderId}");
        Assert.Equal("Shipped", order.Str("status"));
        var line = Assert.Single(order["returns"]!.Arr("lines"));
        Assert.Equal((3m, 1m, 2m), (line!["issued"]!.GetValue<decimal>(), line["returned"]!.GetValue<decimal>(), line["returnable"]!.GetValue<decimal>()));

        // Three more than the two left: 400 naming the line, nothing written.
        var before = await CountsAsync(orderId, partyId);
        var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/return",
            new { lines = new[] { new { productId, quantity = "3" } }, reason = "Za dużo", refund = true });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at most 2", problem!["errors"]!["lines[0].quantity"]![0]!.GetValue<string>());
        var (missingReason, reasonProblem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/return", new { lines = new[] { new { productId, quantity = "1" } } });
        Assert.Equal(HttpStatusCode.BadRequest, missingReason);
        Assert.NotNull(reasonProblem!["errors"]!["reason"]);
        Assert.Equal(before, await CountsAsync(orderId, partyId));
        Assert.Equal(3m, await OnHandAsync(productId));   // 5 received − 3 issued + 1 back

        // The other two without a refund: the order is Returned, the customer keeps a credit of 2 × 123.00 = 246.00.
        await admin.PostCreatedAsync($"/api/orders/{orderId}/return", new { reason = "Reszta", refund = false });
        Assert.Equal("Returned", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        Assert.Equal(-246.00m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        Assert.Equal(5m, await OnHandAsync(productId));
    }

    [Fact]
    public async Task Two_concurrent_full_returns_make_one_return_and_one_conflict()
    {
        var (admin, orderId, partyId, productId) = await ShippedManualOrderAsync(2m);
        var other = await app.ClientAsync(Roles.Manager);
        var before = await CountsAsync(orderId, partyId);

        var results = await Task.WhenAll(
            admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/return", new { reason = "Zwrot A", refund = true }),
            other.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/return", new { reason = "Zwrot B", refund = true }));

        Assert.Equal([HttpStatusCode.Conflict, HttpStatusCode.Created], results.Select(r => r.Status).OrderBy(s => s.ToString()).ToArray());
        Assert.Equal((before.Corrections + 1, before.Zw + 1, before.Returns + 1, before.Payments + 1), await CountsAsync(orderId, partyId));
        Assert.Equal(5m, await OnHandAsync(productId));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("plecak-sklepu")]   // the shop's own SKU, mapped: the refund finds the product through the mapping as the order did
    public async Task A_Shopify_partial_refund_delivered_three_times_at_once_returns_one_unit_once(string? shopSku)
    {
        var (admin, channelId, productId, order, lineItemId, orderId) = await ShopifyBackpacksOrderAsync(shopSku is null ? null : shopSku + "-" + UniqueId());
        // Gross: 3 × 123.00 + shipping 10.00 = 379.00; 3 backpacks issued at 50.00 = 150.00.
        Assert.Equal(379.00m, (await admin.GetOkAsync($"/api/orders/{orderId}")).Amount("totalGross"));
        await ShipAsync(admin, orderId);
        var partyId = Guid.Parse((await admin.GetOkAsync($"/api/orders/{orderId}")).Str("partyId"));

        var body = WithRefunds(order, "partially_refunded", "2026-03-21T09:00:00+01:00", ShopifyRefund(929361464, lineItemId));
        var before = await CountsAsync(orderId, partyId);
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DeliverAsync(app.AnonymousClient(), channelId, "shopify", body, Secret)));

        Assert.All(deliveries, d => Assert.True(d.Status == HttpStatusCode.OK, $"{d.Status} {d.Body?.ToJsonString()}"));
        Assert.Equal((before.Corrections + 1, before.Zw + 1, before.Returns + 1, before.Payments + 1), await CountsAsync(orderId, partyId));
        var ret = await app.QueryAsync(db => db.Set<OrderReturn>().Include(r => r.Lines).SingleAsync(r => r.OrderId == orderId));
        Assert.Equal(("refund:929361464", 1m, true), (ret.ExternalRefundId, Assert.Single(ret.Lines).Quantity, ret.Restocked));
        // One backpack back: gross −123.00 (after: 246.00 + 10.00 = 256.00, VAT 47.87; before 379.00, VAT 70.87 → −23.00), refunded via 145; ZW 50.00.
        var correction = await admin.GetOkAsync($"/api/invoices/{ret.CorrectionInvoiceId}");
        Assert.Equal((-100.00m, -23.00m, -123.00m), (correction.Amount("totalNet"), correction.Amount("totalVat"), correction.Amount("totalGross")));
        Assert.Equal((0m, 123.00m), (await PostingsOfAsync(ret.RefundPaymentId!.Value))["145"]);
        Assert.Equal((50.00m, 0m), (await PostingsOfAsync(ret.StockDocumentId!.Value))["330"]);
        Assert.Equal(3m, await OnHandAsync(productId));
        Assert.Equal("Shipped", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
    }

    [Fact]
    public async Task A_Shopify_order_refunded_in_two_parts_before_shipping_is_cancelled_once_and_later_deliveries_are_not_held()
    {
        var (admin, channelId, productId, order, lineItemId, orderId) = await ShopifyBackpacksOrderAsync();
        var partyId = Guid.Parse((await admin.GetOkAsync($"/api/orders/{orderId}")).Str("partyId"));

        // First part: one backpack refunded before shipping → the order is cancelled, its invoice (3 × 123.00 + 10.00 = 379.00) reversed and refunded.
        var firstPart = WithRefunds(order, "partially_refunded", "2026-03-21T09:00:00+01:00", ShopifyRefund(1001, lineItemId, "cancel"));
        var (first, firstBody) = await DeliverAsync(app.AnonymousClient(), channelId, "shopify", firstPart, Secret);
        Assert.True(first == HttpStatusCode.OK, $"{first} {firstBody?.ToJsonString()}");
        Assert.Equal("Cancelled", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        var counts = await CountsAsync(orderId, partyId);

        // Second part and a later repeat: the shop sends both refunds each time; the cancelled order takes nothing more and nothing is held.
        foreach (var (status, at) in new[] { ("partially_refunded", "2026-03-21T10:00:00+01:00"), ("refunded", "2026-03-21T11:00:00+01:00") })
        {
            var both = WithRefunds(order, status, at, ShopifyRefund(1001, lineItemId, "cancel"), ShopifyRefund(1002, lineItemId, "cancel"));
            var (code, body) = await DeliverAsync(app.AnonymousClient(), channelId, "shopify", both, Secret);
            Assert.True(code == HttpStatusCode.OK, $"{code} {body?.ToJsonString()}");
        }

        Assert.Equal(counts, await CountsAsync(orderId, partyId));
        Assert.Equal(1, counts.Returns);
        Assert.Equal(1, counts.Corrections);
        var ret = await app.QueryAsync(db => db.Set<OrderReturn>().SingleAsync(r => r.OrderId == orderId));
        Assert.Equal((true, "refund:1001", 379.00m, 379.00m), (ret.CancelledOrder, ret.ExternalRefundId, ret.CreditedGross, ret.RefundedAmount));
        Assert.Equal(0, await app.QueryAsync(db => db.HeldShopOrders.CountAsync(h => h.ChannelId == channelId && h.Status == Kontor.Commerce.HoldStatus.Open)));
        Assert.Equal("Cancelled", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        Assert.Equal(5m, await OnHandAsync(productId));
    }

    [Fact]
    public async Task The_shops_payment_of_one_order_on_an_invoice_of_two_orders_pays_that_orders_gross_only()
    {
        var (admin, _, kubek, czajnik) = await WooSetupAsync();
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret, priceMode: "Net", invoiceMoment: "OnShipment");
        var email = $"two{UniqueId()}@example.com";
        var (idA, idB) = (UniqueId(), UniqueId());
        var orderIds = new List<Guid>();
        foreach (var id in new[] { idA, idB })
        {
            var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce",
                WooOrder(id, kubek, czajnik, email, "2026-03-20T10:00:00", paid: false, status: "on-hold").ToJsonString(), Secret);
            Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
            orderIds.Add(Guid.Parse(answer.Str("orderId")));
        }
        var partyId = Guid.Parse((await admin.GetOkAsync($"/api/orders/{orderIds[0]}")).Str("partyId"));
        Assert.Equal(partyId, Guid.Parse((await admin.GetOkAsync($"/api/orders/{orderIds[1]}")).Str("partyId")));
        // A person invoices both orders on one invoice: 2 × 205.00 = 410.00 net + VAT 23 % 94.30 = 504.30.
        var draft = await admin.PostCreatedAsync("/api/orders/invoice", new { orderIds });
        var invoice = await admin.PostOkAsync($"/api/invoices/{draft.Str("invoiceId")}/issue");
        Assert.Equal(504.30m, invoice.Amount("totalGross"));

        // The shop says order A is paid: 252.15 (A's gross), not the invoice's 504.30.
        var (paidA, answerA) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce",
            WooOrder(idA, kubek, czajnik, email, "2026-03-20T11:00:00").ToJsonString(), Secret);
        Assert.True(paidA == HttpStatusCode.OK, $"{paidA} {answerA?.ToJsonString()}");
        Assert.Equal([252.15m], await app.QueryAsync(db => db.Payments.Where(p => p.PartyId == partyId).Select(p => p.Amount).ToListAsync()));
        Assert.Equal(252.15m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));

        // Then order B: another 252.15; the invoice is settled, nothing held.
        var (paidB, answerB) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce",
            WooOrder(idB, kubek, czajnik, email, "2026-03-20T11:00:00").ToJsonString(), Secret);
        Assert.True(paidB == HttpStatusCode.OK, $"{paidB} {answerB?.ToJsonString()}");
        Assert.Equal([252.15m, 252.15m], await app.QueryAsync(db => db.Payments.Where(p => p.PartyId == partyId).Select(p => p.Amount).ToListAsync()));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        Assert.Equal(0, await app.QueryAsync(db => db.HeldShopOrders.CountAsync(h => h.ChannelId == channelId && h.Status == Kontor.Commerce.HoldStatus.Open)));
    }

    [Fact]
    public async Task A_shop_refund_of_an_order_paid_by_hand_through_the_bank_goes_back_through_the_bank_and_the_gateways_one_through_145()
    {
        var (admin, _, kubek, czajnik) = await WooSetupAsync();
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret, priceMode: "Net", invoiceMoment: "OnShipment");
        async Task<(Guid OrderId, Guid PartyId, Guid InvoiceId, string Id, string Email)> InvoicedAsync()
        {
            var (id, email) = (UniqueId(), $"bank{UniqueId()}@example.com");
            var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce",
                WooOrder(id, kubek, czajnik, email, "2026-03-20T10:00:00", paid: false, status: "on-hold").ToJsonString(), Secret);
            Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
            var orderId = Guid.Parse(answer.Str("orderId"));
            var draft = await admin.PostCreatedAsync("/api/orders/invoice", new { orderIds = new[] { orderId } });
            var invoice = await admin.PostOkAsync($"/api/invoices/{draft.Str("invoiceId")}/issue");
            Assert.Equal(252.15m, invoice.Amount("totalGross"));
            return (orderId, Guid.Parse((await admin.GetOkAsync($"/api/orders/{orderId}")).Str("partyId")), invoice.Id(), id, email);
        }
        async Task<Guid> RefundedPaymentAsync((Guid OrderId, Guid PartyId, Guid InvoiceId, string Id, string Email) o)
        {
            var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce",
                WooOrder(o.Id, kubek, czajnik, o.Email, "2026-03-20T12:00:00", status: "refunded").ToJsonString(), Secret);
            Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
            Assert.Equal("Cancelled", (await admin.GetOkAsync($"/api/orders/{o.OrderId}")).Str("status"));
            Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{o.PartyId}/overview")).Amount("balance"));
            return (await app.QueryAsync(db => db.Set<OrderReturn>().SingleAsync(r => r.OrderId == o.OrderId))).RefundPaymentId!.Value;
        }

        // The customer paid by bank transfer, registered by a person: Dr 130 / Cr 201 252.15. The shop's refund (before shipping)
        // sends the money back the way it came: Dr 201 / Cr 130 — not through the gateway's 145, which never received it.
        var byBank = await InvoicedAsync();
        await admin.PostCreatedAsync("/api/payments", new
        {
            partyId = byBank.PartyId, amount = new { amount = "252.15", currency = "PLN" }, reference = "Przelew",
            allocations = new[] { new { invoiceId = byBank.InvoiceId, amount = "252.15" } },
        });
        Assert.Equal(new Dictionary<string, (decimal, decimal)> { ["201"] = (252.15m, 0m), ["130"] = (0m, 252.15m) },
            await PostingsOfAsync(await RefundedPaymentAsync(byBank)));

        // The shop said paid (the gateway, Dr 145 / Cr 201): the refund goes back through 145.
        var byGateway = await InvoicedAsync();
        var (paid, paidAnswer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce",
            WooOrder(byGateway.Id, kubek, czajnik, byGateway.Email, "2026-03-20T11:00:00").ToJsonString(), Secret);
        Assert.True(paid == HttpStatusCode.OK, $"{paid} {paidAnswer?.ToJsonString()}");
        Assert.Equal(new Dictionary<string, (decimal, decimal)> { ["201"] = (252.15m, 0m), ["145"] = (0m, 252.15m) },
            await PostingsOfAsync(await RefundedPaymentAsync(byGateway)));
    }

    [Fact]
    public async Task Goods_received_back_by_hand_are_not_restocked_again_by_a_return()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var (kubekId, czajnikId) = (await ProductIdAsync(kubek), await ProductIdAsync(czajnik));
        var (orderId, partyId, _, _, _) = await PaidWooOrderAsync(admin, channelId, kubek, czajnik);
        await ShipAsync(admin, orderId);
        Assert.Equal(9m, await OnHandAsync(kubekId));   // 11 received − 2 issued

        // A salesperson may not post the stock side alone; a manager takes the 2 mugs back by hand (ZW, no correction).
        var sales = await app.ClientAsync(Roles.Sales);
        var (forbidden, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/stock-return", new { lines = new[] { new { productId = kubekId, quantity = "1" } } });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        await admin.PostCreatedAsync($"/api/orders/{orderId}/stock-return", new { lines = new[] { new { productId = kubekId, quantity = "2" } } });
        Assert.Equal(11m, await OnHandAsync(kubekId));
        // A third mug cannot come back: 2 issued, 2 back.
        var (tooMany, problem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/stock-return", new { lines = new[] { new { productId = kubekId, quantity = "1" } } });
        Assert.Equal(HttpStatusCode.Conflict, tooMany);
        Assert.Contains("Only 0", problem.Str("detail"));

        // The full return credits everything (252.15) but restocks only the kettle (60.00): the mugs are already back.
        var returned = await admin.PostCreatedAsync($"/api/orders/{orderId}/return", new { reason = "Zwrot", refund = true });
        Assert.Equal(252.15m, returned.Amount("credited"));
        Assert.Equal(11m, await OnHandAsync(kubekId));
        Assert.Equal(2m, await OnHandAsync(czajnikId));   // 2 received − 1 issued + 1 back
        // The order's stock counts both ZWs: what left stays "issued", what came back is "returned".
        var stockLines = (await admin.GetOkAsync($"/api/orders/{orderId}/stock"))!["lines"]!.AsArray()
            .ToDictionary(l => Guid.Parse(l.Str("productId")), l => (Issued: l!["issued"]!.GetValue<decimal>(), Returned: l!["returned"]!.GetValue<decimal>()));
        Assert.Equal((2m, 2m), stockLines[kubekId]);
        Assert.Equal((1m, 1m), stockLines[czajnikId]);
        var zw = await PostingsOfAsync(Guid.Parse(returned.Str("stockDocumentId")));
        Assert.Equal((60.00m, 0m), zw["330"]);
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
    }

    [Fact]
    public async Task A_return_dated_in_the_future_or_before_the_shipment_is_refused_naming_date_and_nothing_is_written()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var (orderId, partyId, _, _, _) = await PaidWooOrderAsync(admin, channelId, kubek, czajnik);
        await ShipAsync(admin, orderId);   // shipped and invoiced on DefaultToday
        var before = await CountsAsync(orderId, partyId);
        foreach (var date in new[] { KontorApp.DefaultToday.AddDays(1), KontorApp.DefaultToday.AddDays(-1) })
        {
            var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/return",
                new { reason = "Zwrot", refund = true, date = date.ToString("yyyy-MM-dd") });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(["date"], problem!["errors"]!.AsObject().Select(kv => kv.Key).ToArray());
        }
        Assert.Equal(before, await CountsAsync(orderId, partyId));
        Assert.Equal("Shipped", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
    }

    [Fact]
    public async Task A_WooCommerce_refunded_order_on_a_channel_without_restock_is_corrected_and_refunded_without_a_ZW()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync(restockOnRefund: false);
        var kubekId = await ProductIdAsync(kubek);
        var (orderId, partyId, _, id, email) = await PaidWooOrderAsync(admin, channelId, kubek, czajnik);
        await ShipAsync(admin, orderId);

        var refunded = WooOrder(id, kubek, czajnik, email, modifiedGmt: "2026-03-21T08:00:00", status: "refunded").ToJsonString();
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", refunded, Secret);

        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        var ret = await app.QueryAsync(db => db.Set<OrderReturn>().SingleAsync(r => r.OrderId == orderId));
        Assert.Equal((false, (Guid?)null, 252.15m, 252.15m), (ret.Restocked, ret.StockDocumentId, ret.CreditedGross, ret.RefundedAmount));
        Assert.Equal(0, (await CountsAsync(orderId, partyId)).Zw);
        Assert.Equal(9m, await OnHandAsync(kubekId));   // 11 received − 2 issued; nothing came back
        Assert.Equal("Returned", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));

        // The same refund again (a later shop update of the refunded order) changes nothing.
        var later = WooOrder(id, kubek, czajnik, email, modifiedGmt: "2026-03-22T08:00:00", status: "refunded").ToJsonString();
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", later, Secret)).Status);
        Assert.Equal(1, (await CountsAsync(orderId, partyId)).Returns);
    }

    [Fact]
    public async Task A_WooCommerce_order_refunded_before_shipping_is_cancelled_its_reservation_released_its_invoice_reversed_and_its_payment_refunded()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var kubekId = await ProductIdAsync(kubek);
        var (orderId, partyId, _, id, email) = await PaidWooOrderAsync(admin, channelId, kubek, czajnik);
        Assert.Equal(2m, await app.QueryAsync(db => db.StockReservations.Where(r => r.OrderId == orderId && r.ProductId == kubekId).Select(r => r.Reserved).SingleAsync()));

        var refunded = WooOrder(id, kubek, czajnik, email, modifiedGmt: "2026-03-21T08:00:00", status: "refunded").ToJsonString();
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", refunded, Secret);

        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        Assert.Equal("Cancelled", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        var reservation = await app.QueryAsync(db => db.StockReservations.SingleAsync(r => r.OrderId == orderId && r.ProductId == kubekId));
        Assert.Equal((0m, true), (reservation.Reserved, reservation.Released));
        var ret = await app.QueryAsync(db => db.Set<OrderReturn>().SingleAsync(r => r.OrderId == orderId));
        Assert.Equal((true, 252.15m, 252.15m, (Guid?)null), (ret.CancelledOrder, ret.CreditedGross, ret.RefundedAmount, ret.StockDocumentId));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
    }

    private Task<(decimal Reserved, bool Released)[]> ReservationsAsync(Guid orderId) =>
        app.QueryAsync(async db => (await db.StockReservations.Where(r => r.OrderId == orderId).ToListAsync()).Select(r => (r.Reserved, r.Released)).ToArray());

    private Task<decimal> ReservedAsync(Guid productId) =>
        app.QueryAsync(async db => (await db.StockLevels.Where(s => s.ProductId == productId).Select(s => s.Reserved).ToListAsync()).Sum());

    /// <summary>Debit − credit on 731 over the order's posted WZs and ZWs: 0 when every piece issued came back at its cost.</summary>
    private Task<decimal> CostOfGoodsLeftAsync(Guid orderId) =>
        app.QueryAsync(async db => (await db.JournalLines
            .Where(l => l.AccountCode == "731" && db.JournalEntries.Any(e => e.Id == l.EntryId && db.StockDocuments.Any(d => d.Id == e.SourceId && d.OrderId == orderId)))
            .Select(l => new { l.Debit, l.Credit }).ToListAsync()).Sum(l => l.Debit - l.Credit));

    [Fact]
    public async Task A_WooCommerce_refund_of_a_picked_order_whose_goods_were_issued_by_hand_cancels_it_and_takes_the_goods_back_on_a_ZW_once()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var (kubekId, czajnikId) = (await ProductIdAsync(kubek), await ProductIdAsync(czajnik));
        var (orderId, partyId, invoiceId, id, email) = await PaidWooOrderAsync(admin, channelId, kubek, czajnik);
        // Packed before the refund came: everything issued by hand on a WZ (2 mugs 4.00 + 5.00, the kettle 60.00 = 69.00), then picking.
        var wz = await admin.PostCreatedAsync($"/api/orders/{orderId}/issue", new { });
        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });
        Assert.Equal((69.00m, 0m), (await PostingsOfAsync(wz.Id()))["731"]);
        Assert.Equal((9m, 1m), (await OnHandAsync(kubekId), await OnHandAsync(czajnikId)));

        var refunded = WooOrder(id, kubek, czajnik, email, modifiedGmt: "2026-03-21T08:00:00", status: "refunded").ToJsonString();
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", refunded, Secret);

        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        Assert.Equal("Cancelled", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        var ret = await app.QueryAsync(db => db.Set<OrderReturn>().Include(r => r.Lines).SingleAsync(r => r.OrderId == orderId));
        Assert.Equal((true, true, "refunded", 252.15m, 252.15m), (ret.CancelledOrder, ret.Restocked, ret.ExternalRefundId, ret.CreditedGross, ret.RefundedAmount));
        Assert.Equal([(kubekId, 2m, true), (czajnikId, 1m, true)],
            ret.Lines.Select(l => (l.ProductId, l.Quantity, l.Restocked)).OrderBy(l => l.Quantity == 1m).ToArray());

        // The whole invoice reversed: −205.00 / −47.15 / −252.15 (Dr 700 205.00, Dr 221 47.15, Cr 201 252.15).
        var correction = await admin.GetOkAsync($"/api/invoices/{ret.CorrectionInvoiceId}");
        Assert.Equal(("Issued", invoiceId.ToString(), -205.00m, -47.15m, -252.15m), (correction.Str("status"), correction.Str("correctedInvoiceId"),
            correction.Amount("totalNet"), correction.Amount("totalVat"), correction.Amount("totalGross")));
        var corrected = await PostingsOfAsync(ret.CorrectionInvoiceId!.Value);
        Assert.Equal(((205.00m, 0m), (47.15m, 0m), (0m, 252.15m)), (corrected["700"], corrected["221"], corrected["201"]));
        // The goods back at what they went out at: ZW 69.00, Dr 330 / Cr 731, naming the order and the correction.
        var zw = await PostingsOfAsync(ret.StockDocumentId!.Value);
        Assert.Equal(((69.00m, 0m), (0m, 69.00m)), (zw["330"], zw["731"]));
        var zwDocument = await app.QueryAsync(db => db.StockDocuments.SingleAsync(d => d.Id == ret.StockDocumentId));
        Assert.Equal((Kontor.Inventory.StockDocumentKind.ZW, (Guid?)orderId, ret.CorrectionInvoiceId), (zwDocument.Kind, zwDocument.OrderId, zwDocument.InvoiceId));
        Assert.Equal(0m, await CostOfGoodsLeftAsync(orderId));
        Assert.Equal((11m, 2m), (await OnHandAsync(kubekId), await OnHandAsync(czajnikId)));
        // Nothing reserved any more: the WZ consumed the reservation, the cancellation released the rows.
        Assert.All(await ReservationsAsync(orderId), r => Assert.Equal((0m, true), r));
        Assert.Equal((0m, 0m), (await ReservedAsync(kubekId), await ReservedAsync(czajnikId)));
        // The money back through the gateway: Dr 201 / Cr 145 252.15; the customer at 0; the books balanced.
        var refund = await PostingsOfAsync(ret.RefundPaymentId!.Value);
        Assert.Equal(((252.15m, 0m), (0m, 252.15m)), (refund["201"], refund["145"]));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        Assert.True((await admin.GetOkAsync("/api/ledger/trial-balance"))["balanced"]!.GetValue<bool>());
        Assert.Contains(await app.QueryAsync(db => db.AuditEntries.Where(a => a.EntityId == orderId.ToString()).Select(a => a.Action).ToListAsync()),
            a => a == "order.refunded-cancelled");

        // The same refund again — the same delivery, and a later update of the refunded order — writes nothing new.
        var counts = await CountsAsync(orderId, partyId);
        Assert.Equal((1, 1, 1, 2), counts);   // payments: the shop's and the refund
        var later = WooOrder(id, kubek, czajnik, email, modifiedGmt: "2026-03-22T08:00:00", status: "refunded").ToJsonString();
        foreach (var body in new[] { refunded, later })
            Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", body, Secret)).Status);
        Assert.Equal(counts, await CountsAsync(orderId, partyId));
        Assert.Equal((11m, 2m), (await OnHandAsync(kubekId), await OnHandAsync(czajnikId)));
    }

    [Fact]
    public async Task A_Shopify_refund_of_an_accepted_order_partly_issued_and_partly_received_back_by_hand_restocks_only_the_rest_and_releases_the_reservation()
    {
        var (admin, channelId, productId, order, lineItemId, orderId) = await ShopifyBackpacksOrderAsync();
        var partyId = Guid.Parse((await admin.GetOkAsync($"/api/orders/{orderId}")).Str("partyId"));
        // 2 of the 3 backpacks issued by hand (2 × 50.00 = 100.00): 3 on hand, 1 still reserved; then 1 received back by hand (ZW 50.00).
        var wz = await admin.PostCreatedAsync($"/api/orders/{orderId}/issue", new { lines = new[] { new { productId, quantity = "2" } } });
        Assert.Equal((100.00m, 0m), (await PostingsOfAsync(wz.Id()))["731"]);
        Assert.Equal((3m, 1m), (await OnHandAsync(productId), await ReservedAsync(productId)));
        var byHand = await admin.PostCreatedAsync($"/api/orders/{orderId}/stock-return", new { lines = new[] { new { productId, quantity = "1" } } });
        Assert.Equal((50.00m, 0m), (await PostingsOfAsync(byHand.Id()))["330"]);
        Assert.Equal(4m, await OnHandAsync(productId));
        Assert.Equal("Accepted", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));

        var body = WithRefunds(order, "partially_refunded", "2026-03-21T09:00:00+01:00", ShopifyRefund(5001, lineItemId));
        var before = await CountsAsync(orderId, partyId);   // the party may be shared with other tests' Shopify orders (same phone)
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "shopify", body, Secret);

        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        Assert.Equal("Cancelled", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        var ret = await app.QueryAsync(db => db.Set<OrderReturn>().Include(r => r.Lines).SingleAsync(r => r.OrderId == orderId));
        // Credited: the 2 issued (the whole invoice is reversed); the ZW takes only the one not yet back: 1 × 50.00.
        Assert.Equal((true, "refund:5001", 379.00m, 379.00m), (ret.CancelledOrder, ret.ExternalRefundId, ret.CreditedGross, ret.RefundedAmount));
        Assert.Equal((productId, 2m, true), Assert.Single(ret.Lines.Select(l => (l.ProductId, l.Quantity, l.Restocked))));
        var zwLines = await app.QueryAsync(db => db.StockDocuments.Where(d => d.Id == ret.StockDocumentId).SelectMany(d => d.Lines).Select(l => l.Quantity).ToListAsync());
        Assert.Equal([1m], zwLines);
        var zw = await PostingsOfAsync(ret.StockDocumentId!.Value);
        Assert.Equal(((50.00m, 0m), (0m, 50.00m)), (zw["330"], zw["731"]));
        Assert.Equal(0m, await CostOfGoodsLeftAsync(orderId));   // WZ 100.00 − hand ZW 50.00 − ZW 50.00
        // 5 received − 2 issued + 1 + 1 back; the third backpack's reservation released.
        Assert.Equal((5m, 0m), (await OnHandAsync(productId), await ReservedAsync(productId)));
        Assert.Equal([(0m, true)], await ReservationsAsync(orderId));
        // Gross 3 × 123.00 + 10.00 = 379.00, VAT 379.00 × 23/123 = 70.87, net 308.13: all reversed and refunded through 145.
        var correction = await admin.GetOkAsync($"/api/invoices/{ret.CorrectionInvoiceId}");
        Assert.Equal((-308.13m, -70.87m, -379.00m), (correction.Amount("totalNet"), correction.Amount("totalVat"), correction.Amount("totalGross")));
        Assert.Equal(((379.00m, 0m), (0m, 379.00m)), ((await PostingsOfAsync(ret.RefundPaymentId!.Value))["201"], (await PostingsOfAsync(ret.RefundPaymentId!.Value))["145"]));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        Assert.True((await admin.GetOkAsync("/api/ledger/trial-balance"))["balanced"]!.GetValue<bool>());

        // The same refund delivered again, and once more with the order fully refunded: nothing new, nothing held.
        var counts = await CountsAsync(orderId, partyId);
        Assert.Equal((before.Corrections + 1, before.Zw + 1, before.Returns + 1, before.Payments + 1), counts);   // ZWs: the hand one and the refund's
        Assert.Equal((1, 2, 1), (counts.Corrections, counts.Zw, counts.Returns));
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app.AnonymousClient(), channelId, "shopify", body, Secret)).Status);
        var refunded = WithRefunds(order, "refunded", "2026-03-21T10:00:00+01:00", ShopifyRefund(5001, lineItemId));
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app.AnonymousClient(), channelId, "shopify", refunded, Secret)).Status);
        Assert.Equal(counts, await CountsAsync(orderId, partyId));
        Assert.Equal(5m, await OnHandAsync(productId));
        Assert.Equal(0, await app.QueryAsync(db => db.HeldShopOrders.CountAsync(h => h.ChannelId == channelId && h.Status == Kontor.Commerce.HoldStatus.Open)));
    }

    [Fact]
    public async Task A_refund_before_shipping_on_a_channel_without_restock_cancels_the_order_and_leaves_the_issued_goods_off_stock()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync(restockOnRefund: false);
        var (kubekId, czajnikId) = (await ProductIdAsync(kubek), await ProductIdAsync(czajnik));
        var (orderId, partyId, _, id, email) = await PaidWooOrderAsync(admin, channelId, kubek, czajnik);
        await admin.PostCreatedAsync($"/api/orders/{orderId}/issue", new { });

        var refunded = WooOrder(id, kubek, czajnik, email, modifiedGmt: "2026-03-21T08:00:00", status: "refunded").ToJsonString();
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", refunded, Secret);

        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        Assert.Equal("Cancelled", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        var ret = await app.QueryAsync(db => db.Set<OrderReturn>().Include(r => r.Lines).SingleAsync(r => r.OrderId == orderId));
        Assert.Equal((true, false, (Guid?)null, 252.15m, 252.15m), (ret.CancelledOrder, ret.Restocked, ret.StockDocumentId, ret.CreditedGross, ret.RefundedAmount));
        Assert.Equal([(kubekId, 2m, false), (czajnikId, 1m, false)],
            ret.Lines.Select(l => (l.ProductId, l.Quantity, l.Restocked)).OrderBy(l => l.Quantity == 1m).ToArray());   // credited, not restocked
        Assert.Equal(0, (await CountsAsync(orderId, partyId)).Zw);
        Assert.Equal((9m, 1m), (await OnHandAsync(kubekId), await OnHandAsync(czajnikId)));   // 11 − 2 and 2 − 1: nothing came back
        Assert.Equal(69.00m, await CostOfGoodsLeftAsync(orderId));
        Assert.All(await ReservationsAsync(orderId), r => Assert.Equal((0m, true), r));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
    }
}

public sealed class SqliteOrderReturnTests(SqliteApp app) : OrderReturnTests<SqliteApp>(app);

public sealed class PostgresOrderReturnTests(PostgresApp app) : OrderReturnTests<PostgresApp>(app);
