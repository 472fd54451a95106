using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kontor.Commerce;
using Kontor.Inventory;
using Kontor.Outbox;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>
/// Outbound sync (docs/commerce.md, "Outbound sync"): the product mapping learned from orders and edited by hand, stock
/// pushed once per (channel, product) per transaction and coalesced, prices in the channel's price mode, the channel's
/// warehouse, the full push, and channel secrets encrypted at rest. Every test uses a channel and products of its own.
/// </summary>
public abstract class ChannelSyncTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-sync-0123456789abcdef";

    private OutboxDispatcher Dispatcher => app.Services.GetRequiredService<OutboxDispatcher>();

    private async Task<HttpClient> AdminAsync()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        return await app.ClientAsync(Roles.Admin);
    }

    private static async Task<Guid> ChannelAsync(HttpClient admin, FakeShop? shop, string type = "WooCommerce", string priceMode = "Net",
        string? warehouse = null, string? location = null) =>
        (await admin.PostCreatedAsync("/api/channels", new
        {
            name = $"{type} {Guid.NewGuid():N}"[..20], type, secret = Secret, baseAddress = shop?.BaseAddress, apiKey = "ck_test", apiSecret = "cs_test_secret",
            invoiceMoment = "Never", customerMatching = new[] { "Email" }, createCompanyForVatId = true, priceMode,
            defaultWarehouseCode = warehouse, shopLocationId = location,
        })).Id();

    private static async Task<Guid> ProductAsync(HttpClient admin, string netPrice = "10.00") => (await CreateProductAsync(admin, Sku(), netPrice)).Id();

    private static Task<JsonNode> MapAsync(HttpClient admin, Guid channelId, Guid productId, string external, string? variant = null, string? item = null) =>
        admin.ExpectAsync(HttpMethod.Put, $"/api/channels/{channelId}/products/{productId}",
            new { externalProductId = external, externalVariantId = variant, externalInventoryItemId = item }, HttpStatusCode.OK);

    private static async Task ReceiveAsync(HttpClient admin, Guid productId, string quantity, Guid? warehouseId = null)
    {
        var draft = await admin.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", warehouseId, lines = new[] { new { productId, quantity, unitCost = "5.00" } } });
        await admin.PostOkAsync($"/api/stock-documents/{draft.Id()}/post");
    }

    private Task<List<OutboxMessage>> MessagesAsync(Guid channelId, string type) =>
        app.QueryAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.ChannelId == channelId && m.Type == type).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync());

    private static int Quantity(OutboxMessage m) => (int)JsonNode.Parse(m.Payload)!["quantity"]!;

    /// <summary>Sends everything due (other tests' channels may have messages waiting too; a batch holds 20).</summary>
    private async Task DispatchAllAsync()
    {
        for (var i = 0; i < 50 && await Dispatcher.DispatchDueAsync() > 0; i++) { }
    }

    /// <summary>A mapped product whose first pushes (on mapping: stock 0 and the price) were sent and forgotten by the shop.</summary>
    private async Task<(HttpClient Admin, Guid ChannelId, Guid ProductId)> MappedAsync(FakeShop shop, string external = "794")
    {
        var admin = await AdminAsync();
        var channelId = await ChannelAsync(admin, shop);
        var productId = await ProductAsync(admin);
        await MapAsync(admin, channelId, productId, external);
        await DispatchAllAsync();
        shop.Calls.Clear();
        return (admin, channelId, productId);
    }

    [Fact]
    public async Task The_mapping_is_learned_from_WooCommerce_and_Shopify_orders_and_a_mapping_by_hand_is_kept()
    {
        var admin = await AdminAsync();
        var woo = await ChannelAsync(admin, null);
        var (kubek, czajnik) = (Sku(), Sku());
        var kubekId = (await CreateProductAsync(admin, kubek)).Id();
        var czajnikId = (await CreateProductAsync(admin, czajnik)).Id();
        // Czajnik is mapped by hand first: the order's product id 22 must not replace it.
        await MapAsync(admin, woo, czajnikId, "5000", "5001");
        var id = UniqueId();
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), woo, "woocommerce", WooOrder(id, kubek, czajnik, $"map{id}@example.com").ToJsonString(), Secret);
        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");

        var mapping = (await admin.GetOkAsync($"/api/channels/{woo}/products")).AsArray();
        var learned = mapping.Single(m => m.Str("productId") == kubekId.ToString())!;
        Assert.Equal(("93", null, true), (learned.Str("externalProductId"), (string?)learned["externalVariantId"], (bool)learned["learnedFromOrder"]!));
        var byHand = mapping.Single(m => m.Str("productId") == czajnikId.ToString())!;
        Assert.Equal(("5000", "5001", false), (byHand.Str("externalProductId"), byHand.Str("externalVariantId"), (bool)byHand["learnedFromOrder"]!));

        // With its address: a channel without one gets nothing sent at all (SalesChannel.SendsToShop), this is about the missing id.
        await using var shopifyShop = await FakeShop.StartAsync();
        var shopify = await ChannelAsync(admin, shopifyShop, "Shopify");
        var plecak = Sku();
        var plecakId = (await CreateProductAsync(admin, plecak)).Id();
        var order = Load("shopify-order.json");
        order["id"] = long.Parse(UniqueId());
        order["email"] = $"shopifymap{id}@example.com";
        order["line_items"]![0]!["sku"] = plecak;
        (status, answer) = await DeliverAsync(app.AnonymousClient(), shopify, "shopify", order.ToJsonString(), Secret);
        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        var shopifyMapping = Assert.Single((await admin.GetOkAsync($"/api/channels/{shopify}/products")).AsArray())!;
        Assert.Equal((plecakId.ToString(), "632910392", "39072856"), (shopifyMapping.Str("productId"), shopifyMapping.Str("externalProductId"), shopifyMapping.Str("externalVariantId")));
        // Shopify orders carry no inventory item id: no stock is sent, and the log says why.
        Assert.Empty(await MessagesAsync(shopify, OutboxMessageTypes.Stock));
        Assert.Contains(await app.QueryAsync(db => db.IntegrationLog.Where(e => e.ChannelId == shopify && e.Status == IntegrationStatus.Info).Select(e => e.Response).ToListAsync()),
            r => r!.Contains("no Shopify inventory item id"));
    }

    [Fact]
    public async Task A_receipt_of_10_pushes_10_to_WooCommerce_and_an_order_reserving_3_pushes_7()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, productId) = await MappedAsync(shop);

        await ReceiveAsync(admin, productId, "10");
        var stock = Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);
        Assert.Equal(10, Quantity(stock));
        await DispatchAllAsync();
        var call = Assert.Single(shop.Calls);
        Assert.Equal(("PUT", "/wp-json/wc/v3/products/794", 10, true), (call.Method, call.Path, (int?)call.Body?["stock_quantity"], (bool?)call.Body?["manage_stock"]));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ck_test:cs_test_secret")), call.Authorization);
        shop.Calls.Clear();

        var customer = (await admin.CreatePartyAsync()).Id();
        await admin.PostCreatedAsync("/api/orders", new { partyId = customer, currency = "PLN", pricingMode = "Net", lines = new[] { new { productId, quantity = "3", unitPrice = "10.00", vatRateCode = "23" } } });
        await DispatchAllAsync();
        call = Assert.Single(shop.Calls);
        Assert.Equal(("/wp-json/wc/v3/products/794", 7), (call.Path, (int?)call.Body?["stock_quantity"]));
        var row = Assert.Single((await admin.GetOkAsync($"/api/channels/{channelId}/products")).AsArray())!;
        Assert.Equal(7m, row["lastPushedQuantity"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Fifty_stock_changes_of_one_product_in_one_transaction_enqueue_one_message()
    {
        await using var shop = await FakeShop.StartAsync();
        var (_, channelId, productId) = await MappedAsync(shop);
        var warehouse = await app.QueryAsync(db => db.Warehouses.Where(w => w.IsDefault).Select(w => w.Id).SingleAsync());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var book = scope.ServiceProvider.GetRequiredService<StockBook>();
            await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteAsync(async ct =>
            {
                for (var i = 0; i < 50; i++) await book.AddAsync(warehouse, productId, 1m, ct);
                // 1.5 reserved: available 48.5 → the shop gets whole units, 48.
                Assert.True(await book.TryReserveAsync(warehouse, productId, 1.5m, ct));
                return 0;
            });
        }

        var pending = Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);
        Assert.Equal(48, Quantity(pending));
    }

    [Fact]
    public async Task A_pending_message_is_coalesced_a_claimed_one_is_not_rewritten_and_the_older_is_superseded()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, productId) = await MappedAsync(shop);

        await ReceiveAsync(admin, productId, "4");
        await ReceiveAsync(admin, productId, "2");
        var pending = Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);
        Assert.Equal(6, Quantity(pending));

        // A dispatcher claims it (moves its next attempt a lease ahead, as OutboxDispatcher does) and is still sending.
        var leaseUntil = app.Clock.GetUtcNow().AddSeconds(120);
        await app.QueryAsync(db => db.OutboxMessages.Where(m => m.Id == pending.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, leaseUntil).SetProperty(m => m.ClaimToken, Guid.NewGuid())));
        app.Clock.Set(app.Clock.GetUtcNow().AddSeconds(1));
        await ReceiveAsync(admin, productId, "1");

        var messages = (await MessagesAsync(channelId, OutboxMessageTypes.Stock)).Where(m => m.Status == OutboxStatus.Pending).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal((pending.Id, 6), (messages[0].Id, Quantity(messages[0])));   // the claimed one keeps what it is sending
        Assert.Equal(7, Quantity(messages[1]));

        await DispatchAllAsync();                                   // the new one is due; the claimed one is not
        app.Clock.Set(app.Clock.GetUtcNow().AddMinutes(10));        // the claim expired (its sender died)
        await DispatchAllAsync();

        var call = Assert.Single(shop.Calls);                       // 7 sent once; the stale 6 never overwrites it
        Assert.Equal(7, (int?)call.Body?["stock_quantity"]);
        var after = (await MessagesAsync(channelId, OutboxMessageTypes.Stock)).TakeLast(2).Select(m => m.Status).ToList();
        Assert.Equal([OutboxStatus.Superseded, OutboxStatus.Sent], after);
    }

    [Fact]
    public async Task Coalescing_rotates_the_claim_token_so_a_sender_whose_claim_expired_cannot_mark_the_new_value_sent()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, productId) = await MappedAsync(shop);
        await ReceiveAsync(admin, productId, "4");
        var pending = Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);

        // A dispatcher claims it (token T) and its send outlives the lease: the row is due again.
        var token = Guid.NewGuid();
        var leaseUntil = app.Clock.GetUtcNow().AddSeconds(120);
        await app.QueryAsync(db => db.OutboxMessages.Where(m => m.Id == pending.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, leaseUntil).SetProperty(m => m.ClaimToken, token)));
        app.Clock.Set(app.Clock.GetUtcNow().AddMinutes(10));
        await ReceiveAsync(admin, productId, "3");                  // coalesced into the same row: 7
        var coalesced = Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);
        Assert.Equal((pending.Id, 7), (coalesced.Id, Quantity(coalesced)));

        // The late sender (it sent 4) finishes the way OutboxDispatcher does: only while it still holds the claim.
        var marked = await app.QueryAsync(db => db.OutboxMessages.Where(m => m.Id == pending.Id && m.ClaimToken == token)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Sent)));
        Assert.Equal(0, marked);
        await DispatchAllAsync();
        var call = Assert.Single(shop.Calls);
        Assert.Equal(7, (int?)call.Body?["stock_quantity"]);
    }

    [Fact]
    public async Task An_older_message_is_superseded_also_by_a_newer_dead_lettered_one()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, productId) = await MappedAsync(shop);
        await ReceiveAsync(admin, productId, "4");
        var older = Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);
        // The older one is backing off (not due): the next change gets a message of its own, which then dead-letters.
        var later = app.Clock.GetUtcNow().AddMinutes(5);
        await app.QueryAsync(db => db.OutboxMessages.Where(m => m.Id == older.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, later)));
        app.Clock.Set(app.Clock.GetUtcNow().AddSeconds(1));
        await ReceiveAsync(admin, productId, "2");
        var newer = (await MessagesAsync(channelId, OutboxMessageTypes.Stock)).Single(m => m.Status == OutboxStatus.Pending && m.Id != older.Id);
        Assert.Equal(6, Quantity(newer));
        await app.QueryAsync(db => db.OutboxMessages.Where(m => m.Id == newer.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.DeadLetter)));

        app.Clock.Set(app.Clock.GetUtcNow().AddMinutes(10));
        await DispatchAllAsync();
        Assert.Empty(shop.Calls);                                   // 4 is never sent after 6 failed for good
        Assert.Equal(OutboxStatus.Superseded, await app.QueryAsync(db => db.OutboxMessages.Where(m => m.Id == older.Id).Select(m => m.Status).SingleAsync()));
    }

    [Theory]
    [InlineData("Gross", "100.00", "123.00")]    // 100.00 + 23 % = 123.00
    [InlineData("Net", "100.00", "100.00")]
    [InlineData("Gross", "99.99", "122.99")]     // 99.99 × 1.23 = 122.9877 → 122.99
    // The invoice for one piece in Net mode: net rounded half away from zero, VAT = round(net × 23 %), gross = net + VAT.
    [InlineData("Gross", "0.1250", "0.16")]      // net 0.125 → 0.13; VAT 0.13 × 0.23 = 0.0299 → 0.03; 0.13 + 0.03 = 0.16
    [InlineData("Net", "0.1250", "0.13")]        // 0.125 → 0.13
    [InlineData("Gross", "10.0049", "12.30")]    // net 10.0049 → 10.00; VAT 10.00 × 0.23 = 2.30; 12.30 (not round(12.306027) = 12.31)
    [InlineData("Gross", "10.0050", "12.31")]    // net 10.0050 → 10.01; VAT 10.01 × 0.23 = 2.3023 → 2.30; 12.31
    public async Task A_price_change_sends_the_regular_price_in_the_channels_price_mode(string priceMode, string netPrice, string expected)
    {
        await using var shop = await FakeShop.StartAsync();
        var admin = await AdminAsync();
        var channelId = await ChannelAsync(admin, shop, priceMode: priceMode);
        var productId = await ProductAsync(admin, "1.00");
        await MapAsync(admin, channelId, productId, "794");
        await DispatchAllAsync();
        shop.Calls.Clear();

        await admin.ExpectAsync(HttpMethod.Put, $"/api/products/{productId}/price", new { netPrice = new { amount = netPrice, currency = "PLN" } }, HttpStatusCode.OK);
        var price = Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Price), m => m.Status == OutboxStatus.Pending);
        Assert.Equal((expected, "PLN"), ((string?)JsonNode.Parse(price.Payload)!["regularPrice"], (string?)JsonNode.Parse(price.Payload)!["currency"]));
        await DispatchAllAsync();
        var call = Assert.Single(shop.Calls);
        Assert.Equal(("/wp-json/wc/v3/products/794", expected), (call.Path, (string?)call.Body?["regular_price"]));
        Assert.Empty(await MessagesAsync(channelId, OutboxMessageTypes.Stock).ContinueWith(t => t.Result.Where(m => m.Status == OutboxStatus.Pending).ToList()));

        // A bad price is 400 naming the field, and nothing is enqueued.
        var (status, problem, _) = await admin.SendAsync(HttpMethod.Put, $"/api/products/{productId}/price", new { netPrice = new { amount = "-1", currency = "PLN" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["netPrice"]);
        Assert.DoesNotContain(await MessagesAsync(channelId, OutboxMessageTypes.Price), m => m.Status == OutboxStatus.Pending);
    }

    [Fact]
    public async Task A_gross_price_is_not_pushed_when_the_products_vat_rate_is_not_in_force_and_the_log_names_the_product()
    {
        await using var shop = await FakeShop.StartAsync();
        var admin = await AdminAsync();
        var channelId = await ChannelAsync(admin, shop, priceMode: "Gross");
        var sku = Sku();
        var productId = (await CreateProductAsync(admin, sku, "100.00")).Id();
        await MapAsync(admin, channelId, productId, "796");
        await DispatchAllAsync();
        shop.Calls.Clear();
        // A rate code that is not in force today (e.g. a rate that expired): gross = net would under-price by the VAT.
        await app.QueryAsync(db => db.Products.Where(p => p.Id == productId).ExecuteUpdateAsync(s => s.SetProperty(p => p.VatRateCode, "XX")));

        await admin.PostOkAsync($"/api/channels/{channelId}/sync-stock");
        Assert.DoesNotContain(await MessagesAsync(channelId, OutboxMessageTypes.Price), m => m.Status == OutboxStatus.Pending);
        await DispatchAllAsync();
        Assert.DoesNotContain(shop.Calls, c => c.Body?["regular_price"] is not null);
        Assert.Contains(await app.QueryAsync(db => db.IntegrationLog.Where(e => e.ChannelId == channelId && e.Kind == OutboxMessageTypes.Price && e.Status == IntegrationStatus.Failed)
            .Select(e => e.Response).ToListAsync()), r => r!.Contains(sku) && r.Contains("XX"));
    }

    [Fact]
    public async Task Shopify_gets_stock_through_inventory_levels_set_and_the_price_on_the_variant()
    {
        await using var shop = await FakeShop.StartAsync();
        var admin = await AdminAsync();
        var channelId = await ChannelAsync(admin, shop, "Shopify", "Gross", location: "655441491");
        var productId = await ProductAsync(admin, "100.00");
        await MapAsync(admin, channelId, productId, "632910392", "808950810", "49148385");
        await ReceiveAsync(admin, productId, "4");
        await DispatchAllAsync();

        var calls = shop.Calls.ToList();
        Assert.Equal(2, calls.Count);
        var stock = calls.Single(c => c.Path == "/admin/api/2024-01/inventory_levels/set.json");
        Assert.Equal(("655441491", "49148385", 4, "cs_test_secret"),
            ((string?)stock.Body?["location_id"], (string?)stock.Body?["inventory_item_id"], (int?)stock.Body?["available"], stock.ShopifyToken));
        var price = calls.Single(c => c.Path == "/admin/api/2024-01/variants/808950810.json");
        Assert.Equal(("PUT", "123.00"), (price.Method, (string?)price.Body?["variant"]?["price"]));
    }

    [Fact]
    public async Task A_WooCommerce_variation_is_pushed_on_its_own_address()
    {
        await using var shop = await FakeShop.StartAsync();
        var admin = await AdminAsync();
        var channelId = await ChannelAsync(admin, shop);
        var productId = await ProductAsync(admin);
        await MapAsync(admin, channelId, productId, "794", "801");
        await ReceiveAsync(admin, productId, "3");
        await DispatchAllAsync();
        Assert.All(shop.Calls, c => Assert.Equal("/wp-json/wc/v3/products/794/variations/801", c.Path));
        Assert.Contains(shop.Calls, c => (int?)c.Body?["stock_quantity"] == 3);
    }

    [Fact]
    public async Task An_unmapped_product_sends_nothing_and_a_removed_mapping_stops_the_pushes()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, productId) = await MappedAsync(shop);
        var unmapped = await ProductAsync(admin);

        await ReceiveAsync(admin, unmapped, "10");
        Assert.DoesNotContain(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);

        // A pending stock message of the mapped product is cancelled with the mapping (same transaction), not sent later.
        await ReceiveAsync(admin, productId, "5");
        var pending = Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, $"/api/channels/{channelId}/products/{productId}")).Status);
        Assert.Equal(OutboxStatus.Superseded, await app.QueryAsync(db => db.OutboxMessages.Where(m => m.Id == pending.Id).Select(m => m.Status).SingleAsync()));
        await ReceiveAsync(admin, productId, "10");
        await DispatchAllAsync();
        Assert.Empty(shop.Calls);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Delete, $"/api/channels/{channelId}/products/{productId}")).Status);
    }

    [Fact]
    public async Task A_generic_channel_has_no_outbound_api_and_gets_no_messages_and_a_mapping_pushes_only_to_its_own_channel()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, wooChannel, productId) = await MappedAsync(shop);
        var generic = await ChannelAsync(admin, null, "Generic");
        await MapAsync(admin, generic, productId, "G-1");
        await ReceiveAsync(admin, productId, "3");
        Assert.Empty(await app.QueryAsync(db => db.OutboxMessages.Where(m => m.ChannelId == generic).ToListAsync()));

        // Mapping a second Woo channel does not re-send anything to the first one.
        await DispatchAllAsync();
        var other = await ChannelAsync(admin, shop);
        await MapAsync(admin, other, productId, "795");
        Assert.DoesNotContain(await app.QueryAsync(db => db.OutboxMessages.Where(m => m.ChannelId == wooChannel).ToListAsync()), m => m.Status == OutboxStatus.Pending);
        Assert.Equal(2, await app.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.ChannelId == other && m.Status == OutboxStatus.Pending)));
    }

    [Fact]
    public async Task The_channels_warehouse_is_validated_its_orders_reserve_there_and_only_its_stock_is_pushed()
    {
        await using var shop = await FakeShop.StartAsync();
        var admin = await AdminAsync();
        var channelsBefore = await app.QueryAsync(db => db.SalesChannels.CountAsync());
        var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, "/api/channels", new
        {
            name = "Bad warehouse", type = "WooCommerce", invoiceMoment = "Never", priceMode = "Net", defaultWarehouseCode = "NOPE",
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("NOPE", problem!["errors"]!["defaultWarehouseCode"]![0]!.GetValue<string>());
        Assert.Equal(channelsBefore, await app.QueryAsync(db => db.SalesChannels.CountAsync()));

        var code = "S" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var warehouse = (await admin.PostCreatedAsync("/api/warehouses", new { code, name = "Sklep " + code })).Id();
        var channelId = await ChannelAsync(admin, shop, warehouse: code.ToLowerInvariant());
        Assert.Equal(code, (await admin.GetOkAsync($"/api/channels/{channelId}")).Str("defaultWarehouseCode"));
        var kubek = Sku();
        var productId = (await CreateProductAsync(admin, kubek)).Id();
        await MapAsync(admin, channelId, productId, "794");
        await DispatchAllAsync();
        shop.Calls.Clear();

        // Stock in the default warehouse is not what this shop sells from: nothing is pushed.
        await ReceiveAsync(admin, productId, "10");
        Assert.DoesNotContain(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);

        await ReceiveAsync(admin, productId, "5", warehouse);
        Assert.Equal(5, Quantity(Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending)));

        // The shop's order (2 × kubek) reserves in the channel's warehouse: 5 − 2 = 3 pushed.
        var id = UniqueId();
        var order = WooOrder(id, kubek, Sku(), $"wh{id}@example.com");
        order["line_items"]!.AsArray().RemoveAt(1);
        var (delivered, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", order.ToJsonString(), Secret);
        Assert.True(delivered == HttpStatusCode.OK, $"{delivered} {answer?.ToJsonString()}");
        var stock = await admin.GetOkAsync($"/api/orders/{answer.Str("orderId")}/stock");
        Assert.Equal(code, stock.Str("warehouseCode"));
        await DispatchAllAsync();
        Assert.Equal(3, (int?)shop.Calls.Last().Body?["stock_quantity"]);
    }

    [Fact]
    public async Task Push_now_enqueues_stock_and_price_of_every_mapped_product()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, first) = await MappedAsync(shop, "701");
        var second = await ProductAsync(admin, "20.00");
        await MapAsync(admin, channelId, second, "702");
        await ReceiveAsync(admin, first, "2");
        await DispatchAllAsync();
        shop.Calls.Clear();

        var pushed = await admin.PostOkAsync($"/api/channels/{channelId}/sync-stock");
        Assert.Equal(2, (int)pushed["products"]!);
        // Twice before sending: coalesced, still one stock and one price message per product.
        await admin.PostOkAsync($"/api/channels/{channelId}/sync-stock");
        var pending = await app.QueryAsync(db => db.OutboxMessages.Where(m => m.ChannelId == channelId && m.Status == OutboxStatus.Pending).CountAsync());
        Assert.Equal(4, pending);
        await DispatchAllAsync();
        var calls = shop.Calls.Select(c => (c.Path, Stock: (int?)c.Body?["stock_quantity"], Price: (string?)c.Body?["regular_price"])).OrderBy(c => c.Path).ThenBy(c => c.Price).ToList();
        Assert.Equal([("/wp-json/wc/v3/products/701", 2, null), ("/wp-json/wc/v3/products/701", null, "10.00"),
            ("/wp-json/wc/v3/products/702", 0, null), ("/wp-json/wc/v3/products/702", null, "20.00")], calls);
    }

    [Fact]
    public async Task Push_now_waits_for_a_concurrent_reservation_and_pushes_the_quantity_after_it()
    {
        // PostgreSQL only: there a full push could read the levels while a reservation is still uncommitted. SQLite has one
        // writer at a time, so the push cannot run while another writer holds an uncommitted change.
        if (app.Provider != DatabaseProvider.Postgres) return;
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, productId) = await MappedAsync(shop, "711");
        await ReceiveAsync(admin, productId, "10");
        await DispatchAllAsync();
        var warehouse = await app.QueryAsync(db => db.Warehouses.Where(w => w.IsDefault).Select(w => w.Id).SingleAsync());

        // A stock writer (a reservation of 3) holds its row lock, not committed yet.
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var reservation = await connection.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand("""UPDATE "StockLevels" SET "Reserved" = "Reserved" + 3 WHERE "WarehouseId" = @w AND "ProductId" = @p""", connection, reservation))
        {
            command.Parameters.AddWithValue("w", warehouse);
            command.Parameters.AddWithValue("p", productId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        var push = admin.PostOkAsync($"/api/channels/{channelId}/sync-stock");
        await Task.WhenAny(push, Task.Delay(1500));
        Assert.False(push.IsCompleted, "the full push must wait for the reservation's row lock");
        await reservation.CommitAsync();
        await push;

        // 10 on hand − 3 reserved = 7: the pushed value is the one after the reservation, never the stale 10.
        var pending = Assert.Single(await MessagesAsync(channelId, OutboxMessageTypes.Stock), m => m.Status == OutboxStatus.Pending);
        Assert.Equal(7, Quantity(pending));
    }

    [Fact]
    public async Task Channel_secrets_are_encrypted_at_rest_and_webhooks_still_verify_also_for_a_secret_stored_in_plain_text()
    {
        var admin = await AdminAsync();
        var channelId = await ChannelAsync(admin, null);
        var stored = await app.QueryAsync(db => db.SalesChannels.Where(c => c.Id == channelId).Select(c => new { c.Secret, c.ApiSecret }).SingleAsync());
        Assert.StartsWith(ChannelSecrets.Marker, stored.Secret);
        Assert.DoesNotContain(Secret, stored.Secret);
        Assert.StartsWith(ChannelSecrets.Marker, stored.ApiSecret);
        Assert.DoesNotContain("cs_test_secret", stored.ApiSecret);
        Assert.Equal("••••cdef", (await admin.GetOkAsync($"/api/channels/{channelId}")).Str("secretMasked"));

        var kubek = Sku();
        await CreateProductAsync(admin, kubek);
        var order = WooOrder(UniqueId(), kubek, kubek, $"sec{Guid.NewGuid():N}@example.com");
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", order.ToJsonString(), Secret)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", order.ToJsonString(), Secret + "x")).Status);

        // A secret saved before encryption at rest (plain text in the column) still verifies, and is encrypted at startup.
        await app.QueryAsync(db => db.SalesChannels.Where(c => c.Id == channelId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Secret, Secret)));
        // Written behind the services' back: the cached channels must be told, as every writer of reference rows does.
        app.Services.GetRequiredService<Kontor.Persistence.ReferenceData>().Invalidate();
        order["date_modified_gmt"] = "2026-03-20T11:00:00";
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", order.ToJsonString(), Secret)).Status);
        // `kontor migrate` runs DatabaseInitializer with whatever key ring its working directory gives it: it must leave
        // plain secrets alone (only the web host's startup encrypts them, with the ring that decrypts them later).
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        Assert.Equal(Secret, await app.QueryAsync(db => db.SalesChannels.Where(c => c.Id == channelId).Select(c => c.Secret).SingleAsync()));
        // The web host's startup (another node with the same key ring) encrypts it.
        var keys = app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Kontor:KeysDirectory"];
        await using (var node = app.OpenOnSameDatabase(new Dictionary<string, string?> { ["Kontor:KeysDirectory"] = keys }))
            await ((Xunit.IAsyncLifetime)node).InitializeAsync();
        Assert.StartsWith(ChannelSecrets.Marker, await app.QueryAsync(db => db.SalesChannels.Where(c => c.Id == channelId).Select(c => c.Secret).SingleAsync()));
        order["date_modified_gmt"] = "2026-03-20T12:00:00";
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", order.ToJsonString(), Secret)).Status);
    }

    [Fact]
    public async Task Bad_mapping_input_is_400_naming_the_field_and_unknown_ids_are_404()
    {
        var admin = await AdminAsync();
        var channelId = await ChannelAsync(admin, null);
        var productId = await ProductAsync(admin);
        var (status, problem, _) = await admin.SendAsync(HttpMethod.Put, $"/api/channels/{channelId}/products/{productId}", new { externalProductId = "" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["externalProductId"]);
        Assert.Equal(0, await app.QueryAsync(db => db.ChannelProducts.CountAsync(m => m.ChannelId == channelId)));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Put, $"/api/channels/{channelId}/products/{Guid.NewGuid()}", new { externalProductId = "1" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Get, $"/api/channels/{Guid.NewGuid()}/products")).Status);
    }
}

public sealed class SqliteChannelSyncTests(SqliteApp app) : ChannelSyncTests<SqliteApp>(app);

public sealed class PostgresChannelSyncTests(PostgresApp app) : ChannelSyncTests<PostgresApp>(app);
