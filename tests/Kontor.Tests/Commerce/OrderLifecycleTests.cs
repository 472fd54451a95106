using System.Net;
using System.Text.Json.Nodes;
using Kontor.Outbox;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Kontor.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>
/// The order lifecycle (docs/commerce.md, "Order lifecycle"): accepted → picking → shipped (WZ, tracking) → delivered,
/// invoices at the channel's moment, consumer invoices, the tracking number back to the shop, the history on the timeline.
/// </summary>
public abstract class OrderLifecycleTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-life-0123456789abcdef";

    private async Task<Guid> ProductAsync(HttpClient admin, string sku, string kind = "Goods") =>
        (await admin.PostCreatedAsync("/api/products", new
        {
            sku, name = "Produkt " + sku, kind, unit = "szt.", netPrice = new { amount = "10.00", currency = "PLN" }, vatRateCode = "23",
        })).Id();

    private static async Task ReceiveAsync(HttpClient admin, Guid productId, string quantity, string unitCost)
    {
        var receipt = await admin.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", lines = new[] { new { productId, quantity, unitCost } } });
        await admin.PostOkAsync($"/api/stock-documents/{receipt.Id()}/post");
    }

    private static async Task<JsonNode> LevelAsync(HttpClient client, Guid productId) =>
        (await client.GetOkAsync($"/api/stock?productId={productId}")).Arr("rows").Single(r => r!.Str("warehouseCode") == "MAG")!;

    private Task<List<(string Account, decimal Debit, decimal Credit)>> PostingsOfAsync(Guid sourceId) =>
        app.QueryAsync(async db => (await db.JournalLines.Where(l => db.JournalEntries.Any(e => e.Id == l.EntryId && e.SourceId == sourceId))
            .Select(l => new { l.AccountCode, l.Debit, l.Credit }).ToListAsync())
            .Select(l => (l.AccountCode, l.Debit, l.Credit)).OrderByDescending(l => l.Debit).ThenBy(l => l.AccountCode).ToList());

    /// <summary>An order of 5 goods (3 in stock at 4.00, 10 at 6.00 received later) and a service line.</summary>
    private async Task<(HttpClient Admin, Guid OrderId, Guid GoodsId, Guid PartyId)> OrderWithStockAsync()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var partyId = (await admin.CreatePartyAsync()).Id();
        var goods = await ProductAsync(admin, Sku());
        var service = await ProductAsync(admin, Sku(), "Service");
        await ReceiveAsync(admin, goods, "3", "4.00");
        await ReceiveAsync(admin, goods, "10", "6.00");
        var order = await admin.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[]
            {
                new { productId = goods, description = "Towar", quantity = "5", unitPrice = "20.00", vatRateCode = "23", unit = "szt." },
                new { productId = service, description = "Montaż", quantity = "1", unitPrice = "50.00", vatRateCode = "23", unit = "usł." },
            },
        });
        return (admin, order.Id(), goods, partyId);
    }

    [Fact]
    public async Task Shipping_issues_the_goods_left_at_FIFO_cost_records_the_parcel_and_the_order_is_then_delivered()
    {
        var (admin, orderId, goods, partyId) = await OrderWithStockAsync();
        var reserved = await LevelAsync(admin, goods);
        Assert.Equal((13m, 5m), (reserved["onHand"]!.GetValue<decimal>(), reserved["reserved"]!.GetValue<decimal>()));
        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });
        var picking = await admin.GetOkAsync($"/api/orders/{orderId}");

        var shipped = await admin.PostOkAsync($"/api/orders/{orderId}/ship", new { trackingNumber = " 620123456789 ", carrier = "InPost", version = picking.Str("version") });

        Assert.Equal(("Shipped", "620123456789", "InPost", "2026-03-20"), (shipped.Str("status"), shipped.Str("trackingNumber"), shipped.Str("carrier"), shipped.Str("shippedOn")));
        Assert.Equal("https://inpost.pl/sledzenie-przesylek?number=620123456789", shipped.Str("trackingUrl"));
        // 13 on hand less the 5 shipped; the reservation of 5 was consumed by the WZ, not released.
        var level = await LevelAsync(admin, goods);
        Assert.Equal((8m, 0m), (level["onHand"]!.GetValue<decimal>(), level["reserved"]!.GetValue<decimal>()));
        var wz = await app.QueryAsync(db => db.StockDocuments.Include(d => d.Lines).SingleAsync(d => d.OrderId == orderId));
        Assert.Equal((Kontor.Inventory.StockDocumentKind.WZ, Kontor.Inventory.StockDocumentStatus.Posted, new DateOnly(2026, 3, 20)), (wz.Kind, wz.Status, wz.Date));
        Assert.Equal([(goods, 5m)], wz.Lines.Select(l => (l.ProductId, l.Quantity)));   // the service line has no stock
        // FIFO: the 3 at 4.00 first, then 2 of the 6.00 layer = 12.00 + 12.00 = 24.00.
        Assert.Equal([("731", 24.00m, 0m), ("330", 0m, 24.00m)], await PostingsOfAsync(wz.Id));

        var shippedAgain = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/ship", new { trackingNumber = "X" });
        Assert.Equal(HttpStatusCode.Conflict, shippedAgain.Status);
        var early = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/deliver", new { date = "2026-03-19" });
        Assert.Equal(HttpStatusCode.BadRequest, early.Status);
        Assert.NotNull(early.Body!["errors"]!["date"]);

        var delivered = await admin.PostOkAsync($"/api/orders/{orderId}/deliver", new { date = "2026-03-20", version = shipped.Str("version") });

        Assert.Equal(("Delivered", "2026-03-20"), (delivered.Str("status"), delivered.Str("deliveredOn")));
        var history = delivered.Arr("history").Select(h => (h!["from"]?.GetValue<string>(), h.Str("to"), h!["trackingNumber"]?.GetValue<string>())).ToList();
        Assert.Equal([(null, "Accepted", null), ("Accepted", "InProgress", null), ("InProgress", "Shipped", "620123456789"), ("Shipped", "Delivered", null)], history);
        var timeline = (await admin.GetOkAsync($"/api/parties/{partyId}/timeline?kinds=Order")).Arr("entries")
            .Select(e => e.Str("summary")).ToList();
        Assert.Contains("Shipped · InPost 620123456789", timeline);
        Assert.Contains("Delivered", timeline);
        Assert.Contains("InProgress", timeline);
    }

    [Fact]
    public async Task Bad_shipping_input_is_400_naming_the_field_an_illegal_or_stale_move_is_409_and_nothing_is_written()
    {
        var (admin, orderId, goods, _) = await OrderWithStockAsync();
        var before = await admin.GetOkAsync($"/api/orders/{orderId}");

        var cases = new (object Body, HttpStatusCode Status, string? Field)[]
        {
            (new { trackingNumber = new string('1', 65) }, HttpStatusCode.BadRequest, "trackingNumber"),
            (new { carrier = new string('C', 65) }, HttpStatusCode.BadRequest, "carrier"),
            (new { date = "2026-03-19" }, HttpStatusCode.BadRequest, "date"),     // before the order date
            (new { date = "2026-03-21" }, HttpStatusCode.BadRequest, "date"),     // in the future
            (new { date = "20.03.2026" }, HttpStatusCode.BadRequest, "date"),     // not a date
            (new { version = Guid.NewGuid() }, HttpStatusCode.Conflict, null),
        };
        foreach (var (body, expected, field) in cases)
        {
            var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/ship", body);
            Assert.True(status == expected, $"{System.Text.Json.JsonSerializer.Serialize(body)}: {(int)status} {problem?.ToJsonString()}");
            if (field is not null) Assert.True(problem!["errors"]?[field] is not null, problem.ToJsonString());
        }
        var (deliverStatus, _, _) = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/deliver", new { });
        Assert.Equal(HttpStatusCode.Conflict, deliverStatus);   // not shipped yet

        var after = await admin.GetOkAsync($"/api/orders/{orderId}");
        Assert.Equal((before.Str("status"), before.Str("version")), (after.Str("status"), after.Str("version")));
        Assert.Null(after["trackingNumber"]);
        Assert.Equal(0, await app.QueryAsync(db => db.StockDocuments.CountAsync(d => d.OrderId == orderId)));
        Assert.Single(after.Arr("history"));
        Assert.Equal(13m, (await LevelAsync(admin, goods))["onHand"]!.GetValue<decimal>());

        // Cancelled: shipping is an illegal move.
        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "Cancelled" });
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/ship", new { })).Status);
    }

    [Fact]
    public async Task Shipping_more_than_is_on_hand_is_409_and_nothing_leaves()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var goods = await ProductAsync(admin, Sku());
        await ReceiveAsync(admin, goods, "1", "4.00");
        var order = await admin.PostCreatedAsync("/api/orders", new
        {
            partyId = (await admin.CreatePartyAsync()).Id(), currency = "PLN", pricingMode = "Net",
            lines = new[] { new { productId = goods, description = "Towar", quantity = "2", unitPrice = "20.00", vatRateCode = "23", unit = "szt." } },
        });

        var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/orders/{order.Id()}/ship", new { trackingNumber = "T1" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("Not enough", problem.Str("detail"));
        Assert.Equal("Accepted", (await admin.GetOkAsync($"/api/orders/{order.Id()}")).Str("status"));
        Assert.Equal(1m, (await LevelAsync(admin, goods))["onHand"]!.GetValue<decimal>());
    }

    /// <summary>An OnShipment WooCommerce channel with the sample's mugs (10 at 4.00) and kettles (5 at 30.00) in stock.</summary>
    private async Task<(HttpClient Admin, Guid ChannelId, string Kubek, string Czajnik)> OnShipmentShopAsync(string? baseAddress = null)
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret, "Net", "OnShipment", baseAddress);
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        var ids = await app.QueryAsync(db => db.Products.Where(p => p.Sku == kubek || p.Sku == czajnik).ToDictionaryAsync(p => p.Sku, p => p.Id));
        await ReceiveAsync(admin, ids[kubek], "10", "4.00");
        await ReceiveAsync(admin, ids[czajnik], "5", "30.00");
        return (admin, channelId, kubek, czajnik);
    }

    private async Task<(int Invoices, int Payments)> CountsAsync(Guid partyId) => await app.QueryAsync(async db =>
        (await db.Invoices.CountAsync(i => i.PartyId == partyId), await db.Payments.CountAsync(p => p.PartyId == partyId)));

    private Task<List<(string Account, decimal Debit, decimal Credit)>> PartyPostingsAsync(Guid partyId, Guid invoiceId) =>
        app.QueryAsync(async db => (await db.JournalLines.Where(l => l.PartyId == partyId || db.JournalEntries.Any(e => e.Id == l.EntryId && e.SourceId == invoiceId))
            .Select(l => new { l.AccountCode, l.Debit, l.Credit }).ToListAsync()).Select(l => (l.AccountCode, l.Debit, l.Credit)).ToList());

    [Fact]
    public async Task OnShipment_a_paid_order_is_invoiced_only_when_it_ships_with_the_payment_registered_and_the_books_balance()
    {
        var (admin, channelId, kubek, czajnik) = await OnShipmentShopAsync();
        var id = UniqueId();

        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, $"ship{id}@example.com").ToJsonString(), Secret);

        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        var orderId = Guid.Parse(answer.Str("orderId"));
        var accepted = await admin.GetOkAsync($"/api/orders/{orderId}");
        var partyId = Guid.Parse(accepted.Str("partyId"));
        Assert.Null(accepted["invoiceId"]);
        Assert.Equal("2026-03-20", accepted.Str("paidAtShopOn"));   // remembered, not lost
        Assert.Equal((0, 0), await CountsAsync(partyId));

        var shipped = await admin.PostOkAsync($"/api/orders/{orderId}/ship", new { trackingNumber = "00340434161094042557", carrier = "DPD" });

        var invoice = await admin.GetOkAsync($"/api/invoices/{shipped.Str("invoiceId")}");
        Assert.Equal(("Issued", 205.00m, 47.15m, 252.15m), (invoice.Str("status"), invoice.Amount("totalNet"), invoice.Amount("totalVat"), invoice.Amount("totalGross")));
        Assert.Equal((1, 1), await CountsAsync(partyId));
        var invoiceId = Guid.Parse(shipped.Str("invoiceId"));
        var byAccount = (await PartyPostingsAsync(partyId, invoiceId)).GroupBy(p => p.Account[..3]).ToDictionary(g => g.Key, g => (g.Sum(p => p.Debit), g.Sum(p => p.Credit)));
        Assert.Equal((252.15m, 252.15m), byAccount["201"]);   // invoiced 252.15 and paid 252.15
        Assert.Equal((0m, 205.00m), byAccount["700"]);
        Assert.Equal((0m, 47.15m), byAccount["221"]);
        var paymentId = await app.QueryAsync(db => db.Payments.Where(p => p.PartyId == partyId).Select(p => p.Id).SingleAsync());
        Assert.Equal([("145", 252.15m, 0m), ("201", 0m, 252.15m)], await PostingsOfAsync(paymentId));
        // The WZ: 2 mugs at 4.00 + 1 kettle at 30.00 = 38.00 at cost.
        var wzId = await app.QueryAsync(db => db.StockDocuments.Where(d => d.OrderId == orderId).Select(d => d.Id).SingleAsync());
        Assert.Equal([("731", 38.00m, 0m), ("330", 0m, 38.00m)], await PostingsOfAsync(wzId));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        var trialBalance = await admin.GetOkAsync("/api/ledger/trial-balance?asOf=2026-12-31");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());

        // The shop says paid again (a later update): nothing more is registered.
        var again = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, $"ship{id}@example.com", "2026-03-20T11:00:00").ToJsonString(), Secret);
        Assert.Equal("Updated", again.Body.Str("outcome"));
        Assert.Equal((1, 1), await CountsAsync(partyId));
    }

    [Fact]
    public async Task OnShipment_the_same_paid_order_delivered_three_times_at_once_then_shipped_gives_one_invoice_and_one_payment()
    {
        var (admin, channelId, kubek, czajnik) = await OnShipmentShopAsync();
        var id = UniqueId();
        var body = WooOrder(id, kubek, czajnik, $"burst{id}@example.com").ToJsonString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DeliverAsync(app.CreateClient(), channelId, "woocommerce", body, Secret)));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{a.Status} {a.Body?.ToJsonString()}"));
        var orderId = Assert.Single(answers.Select(a => a.Body.Str("orderId")).Distinct());
        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });
        var shipped = await admin.PostOkAsync($"/api/orders/{orderId}/ship", new { trackingNumber = "RR123456785PL", carrier = "Poczta Polska" });
        var partyId = Guid.Parse(shipped.Str("partyId"));
        Assert.Equal((1, 1), await CountsAsync(partyId));
        Assert.Equal([252.15m], await app.QueryAsync(db => db.Payments.Where(p => p.PartyId == partyId).Select(p => p.Amount).ToListAsync()));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        Assert.True((await admin.GetOkAsync("/api/ledger/trial-balance?asOf=2026-12-31"))["balanced"]!.GetValue<bool>());
    }

    [Fact]
    public async Task OnShipment_an_unpaid_order_is_invoiced_at_shipment_and_the_later_paid_delivery_settles_that_invoice()
    {
        var (admin, channelId, kubek, czajnik) = await OnShipmentShopAsync();
        var id = UniqueId();
        var email = $"cod{id}@example.com";
        var created = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, email, paid: false, status: "on-hold").ToJsonString(), Secret);
        var orderId = created.Body.Str("orderId");

        // Entered two days later for the day after the order: the invoice's sale date (the tax point of goods) is the shipping day.
        app.Clock.SetDate(KontorApp.DefaultToday.AddDays(2));
        try
        {
            admin = await app.ClientAsync(Roles.Admin);   // a token of the new day
            var shipped = await admin.PostOkAsync($"/api/orders/{orderId}/ship", new { date = "2026-03-21" });
            var partyId = Guid.Parse(shipped.Str("partyId"));
            Assert.Equal((1, 0), await CountsAsync(partyId));
            Assert.Equal(252.15m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
            var invoice = await admin.GetOkAsync($"/api/invoices/{shipped.Str("invoiceId")}");
            Assert.Equal(("2026-03-22", "2026-03-21"), (invoice.Str("issueDate"), invoice.Str("saleDate")));

            // Cash on delivery: the shop says paid three days after the invoice; the payment is dated that day.
            app.Clock.SetDate(KontorApp.DefaultToday.AddDays(5));
            admin = await app.ClientAsync(Roles.Admin);
            var paid = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, email, "2026-03-20T12:00:00", paid: true, status: "completed").ToJsonString(), Secret);

            Assert.Equal("Updated", paid.Body.Str("outcome"));
            Assert.Equal((1, 1), await CountsAsync(partyId));
            Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
            Assert.Equal(new DateOnly(2026, 3, 25), await app.QueryAsync(db => db.Payments.Where(p => p.PartyId == partyId).Select(p => p.Date).SingleAsync()));
        }
        finally
        {
            app.Clock.SetDate(KontorApp.DefaultToday);
        }
    }

    [Fact]
    public async Task A_shop_customer_without_a_tax_id_gets_a_consumer_invoice_without_a_NIP_line_and_BRAK_in_JPK()
    {
        var (admin, channelId, kubek, czajnik) = await OnShipmentShopAsync();
        var id = UniqueId();
        var answer = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, $"konsument{id}@example.com").ToJsonString(), Secret);
        var shipped = await admin.PostOkAsync($"/api/orders/{answer.Body.Str("orderId")}/ship", new { trackingNumber = "620000000001", carrier = "InPost" });
        var invoiceId = Guid.Parse(shipped.Str("invoiceId"));

        Assert.True(await app.QueryAsync(db => db.Invoices.Where(i => i.Id == invoiceId).Select(i => i.BuyerIsConsumer).SingleAsync()));
        using var response = await admin.GetAsync($"/api/invoices/{invoiceId}/pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = PdfText.All(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("NABYWCA (KONSUMENT)", text);
        Assert.Contains("Anna Nowak", text);
        // The seller's NIP is printed once; the consumer has none (no "NIP:" in the buyer block).
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "NIP:"));
        // A company with a NIP buys as a business.
        var company = await admin.CreatePartyAsync();
        var b2b = await admin.CreateAndIssueAsync(company.Id(), "100.00");
        Assert.False(await app.QueryAsync(db => db.Invoices.Where(i => i.Id == b2b.Id()).Select(i => i.BuyerIsConsumer).SingleAsync()));
        // JPK_V7M: the consumer's sale has no buyer number ("BRAK").
        await using var scope = app.Services.CreateAsyncScope();
        var register = await scope.ServiceProvider.GetRequiredService<Kontor.Vat.VatRegisters>().SalesAsync(new Kontor.Vat.VatPeriod(2026, 3));
        var row = register.Rows.Single(r => r.InvoiceId == invoiceId);
        Assert.True(row.BuyerIsConsumer);
        Assert.Null(Kontor.Vat.JpkV7MExport.TaxNumber(row.BuyerTaxId));
    }

    [Fact]
    public async Task Shipping_a_shop_order_sends_completed_with_the_tracking_number_and_WooCommerce_gets_a_customer_note()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, kubek, czajnik) = await OnShipmentShopAsync(shop.BaseAddress);
        var id = UniqueId();
        var answer = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, $"note{id}@example.com").ToJsonString(), Secret);

        await admin.PostOkAsync($"/api/orders/{answer.Body.Str("orderId")}/ship", new { trackingNumber = "620123456789", carrier = "InPost" });

        // The order's goods also change the shop's stock (their own "stock" messages, docs/commerce.md "Outbound sync"): this test is about the status.
        var message = await app.QueryAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.ChannelId == channelId && m.Type == OutboxMessageTypes.OrderStatus));
        var payload = JsonNode.Parse(message.Payload)!;
        Assert.Equal(("completed", "620123456789", "InPost", id), (payload.Str("status"), payload.Str("trackingNumber"), payload.Str("carrier"), payload.Str("externalOrderId")));
        Assert.Equal("https://inpost.pl/sledzenie-przesylek?number=620123456789", payload.Str("trackingUrl"));
        await app.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();
        var calls = shop.Calls.Where(c => c.Path.Contains("/orders/", StringComparison.Ordinal)).ToList();
        Assert.Equal([("PUT", $"/wp-json/wc/v3/orders/{id}"), ("POST", $"/wp-json/wc/v3/orders/{id}/notes")], calls.Select(c => (c.Method, c.Path)));
        Assert.Equal("completed", (string?)calls[0].Body?["status"]);
        Assert.Contains("620123456789", (string?)calls[1].Body?["note"]);
        Assert.Contains("InPost", (string?)calls[1].Body?["note"]);
        Assert.Contains("https://inpost.pl/sledzenie-przesylek?number=620123456789", (string?)calls[1].Body?["note"]);
        Assert.True((bool?)calls[1].Body?["customer_note"]);
        Assert.Equal(OutboxStatus.Sent, (await app.QueryAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == message.Id))).Status);
    }

    [Fact]
    public async Task A_tracking_note_whose_answer_was_lost_is_not_added_twice_on_the_retry()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, kubek, czajnik) = await OnShipmentShopAsync(shop.BaseAddress);
        var id = UniqueId();
        var answer = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, $"lost{id}@example.com").ToJsonString(), Secret);
        await admin.PostOkAsync($"/api/orders/{answer.Body.Str("orderId")}/ship", new { trackingNumber = "620123456780", carrier = "InPost" });
        // WooCommerce adds the note, but its answer never comes back.
        shop.LoseAnswerOnce = "/notes";

        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        await dispatcher.DispatchDueAsync();
        app.Clock.Set(app.Clock.GetUtcNow().AddHours(1));
        await dispatcher.DispatchDueAsync();

        var message = await app.QueryAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.ChannelId == channelId && m.Type == OutboxMessageTypes.OrderStatus));
        Assert.Equal((OutboxStatus.Sent, 2), (message.Status, message.Attempts));
        var note = Assert.Single(shop.WooNotes[id]);
        Assert.Contains("620123456780", note);
        var calls = shop.Calls.Where(c => c.Path.Contains($"/orders/{id}", StringComparison.Ordinal)).Select(c => (c.Method, c.Path.EndsWith("/notes", StringComparison.Ordinal))).ToList();
        Assert.Equal([("PUT", false), ("POST", true), ("PUT", false), ("GET", true)], calls);
    }

    [Theory]
    [InlineData("WooCommerce", "woocommerce")]
    [InlineData("Generic", "generic")]
    public async Task A_channel_Kontor_cannot_send_to_gets_no_status_message_but_an_Info_line_among_the_orders_shop_messages(string type, string path)
    {
        // A WooCommerce channel set up with its webhook alone (no shop address), and a generic channel (no outbound API): a
        // queued status could only fail its attempts and end as a dead letter.
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, type, Secret, "Net", "OnShipment");
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        var ids = await app.QueryAsync(db => db.Products.Where(p => p.Sku == kubek || p.Sku == czajnik).ToDictionaryAsync(p => p.Sku, p => p.Id));
        await ReceiveAsync(admin, ids[kubek], "10", "4.00");
        await ReceiveAsync(admin, ids[czajnik], "5", "30.00");
        var id = UniqueId();
        var body = (type == "Generic" ? GenericOrder(id, kubek, czajnik, $"quiet{id}@example.com") : WooOrder(id, kubek, czajnik, $"quiet{id}@example.com")).ToJsonString();
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, path, body, Secret, now: app.Clock.GetUtcNow());
        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        var orderId = answer.Str("orderId");

        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });
        await admin.PostOkAsync($"/api/orders/{orderId}/ship", new { trackingNumber = "620123456789", carrier = "InPost" });

        // Nothing queued for the shop — no status, and no stock either (the reservation and the WZ changed it).
        Assert.Empty(await app.QueryAsync(db => db.OutboxMessages.Where(m => m.ChannelId == channelId).ToListAsync()));
        // The order's shop messages say what the shop was not told, and why.
        var messages = (await admin.GetOkAsync($"/api/integrations/log?orderId={orderId}&direction=Out")).AsArray();
        Assert.Equal(["completed", "processing"], messages.Select(m => JsonNode.Parse(m.Str("payload"))!.Str("status")));
        Assert.All(messages, m => Assert.Equal(("Info", OutboxMessageTypes.OrderStatus, id), (m.Str("status"), m.Str("kind"), m.Str("externalId"))));
        Assert.Contains("620123456789", messages[0].Str("payload"));
        Assert.StartsWith("Not sent", messages[0].Str("response"));
    }
}

public sealed class SqliteOrderLifecycleTests(SqliteApp app) : OrderLifecycleTests<SqliteApp>(app);

public sealed class PostgresOrderLifecycleTests(PostgresApp app) : OrderLifecycleTests<PostgresApp>(app);
