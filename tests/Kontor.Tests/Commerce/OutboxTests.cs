using System.Net;
using System.Text;
using Kontor.Outbox;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>The outbox: status changes of shop orders sent back through the connectors, retries with backoff, dead letters, replay, claims.</summary>
public abstract class OutboxTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-outbox-0123456789abcdef";

    private OutboxDispatcher Dispatcher => app.Services.GetRequiredService<OutboxDispatcher>();

    /// <summary>A WooCommerce channel pointing at <paramref name="shop"/> with one webhook order in it; returns the order id and shop id.</summary>
    private async Task<(HttpClient Admin, Guid ChannelId, Guid OrderId, string ExternalId)> ShopOrderAsync(FakeShop shop, string type = "WooCommerce")
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, type, Secret, "Net", "Never", shop.BaseAddress);
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        var id = UniqueId();
        var (status, answer) = type == "WooCommerce"
            ? await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, $"out{id}@example.com").ToJsonString(), Secret)
            : await DeliverAsync(app.AnonymousClient(), channelId, "shopify", ShopifyOrder(id, kubek), Secret);
        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        // These tests are about order statuses: forget the product mapping the order taught (and the stock it pushed; ChannelSyncTests).
        await app.QueryAsync(async db =>
        {
            await db.OutboxMessages.Where(m => m.ChannelId == channelId && m.Type != OutboxMessageTypes.OrderStatus).ExecuteDeleteAsync();
            await db.IntegrationLog.Where(e => e.ChannelId == channelId && e.Direction == Kontor.Commerce.IntegrationDirection.Out).ExecuteDeleteAsync();
            return await db.ChannelProducts.Where(m => m.ChannelId == channelId).ExecuteDeleteAsync();
        });
        return (admin, channelId, Guid.Parse(answer.Str("orderId")), id);
    }

    private static string ShopifyOrder(string id, string sku)
    {
        var order = Load("shopify-order.json");
        order["id"] = long.Parse(id);
        order["email"] = $"shopify{id}@example.com";
        order["line_items"]![0]!["sku"] = sku;
        return order.ToJsonString();
    }

    private Task<OutboxMessage> MessageOfAsync(Guid channelId) =>
        app.QueryAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.ChannelId == channelId));

    [Fact]
    public async Task An_order_status_change_is_sent_to_the_shop_retried_with_backoff_after_failures_and_every_attempt_is_logged()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, orderId, externalId) = await ShopOrderAsync(shop);
        shop.FailNext = 2;

        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });
        var written = await MessageOfAsync(channelId);
        Assert.Equal((OutboxMessageTypes.OrderStatus, OutboxStatus.Pending, 0), (written.Type, written.Status, written.Attempts));

        await Dispatcher.DispatchDueAsync();
        var afterFirst = await MessageOfAsync(channelId);
        // First retry waits between half and all of the 5 s base delay.
        var wait = afterFirst.NextAttemptAt - app.Clock.GetUtcNow();
        Assert.InRange(wait, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5));
        await Dispatcher.DispatchDueAsync();   // not due yet: nothing is sent
        Assert.Single(shop.Calls);

        app.Clock.Set(app.Clock.GetUtcNow().AddHours(1));
        await Dispatcher.DispatchDueAsync();
        app.Clock.Set(app.Clock.GetUtcNow().AddHours(1));
        await Dispatcher.DispatchDueAsync();

        var sent = await MessageOfAsync(channelId);
        Assert.Equal((OutboxStatus.Sent, 3), (sent.Status, sent.Attempts));
        var calls = shop.Calls.ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.Equal(("PUT", $"/wp-json/wc/v3/orders/{externalId}", "processing"), (c.Method, c.Path, (string?)c.Body?["status"])));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ck_test:cs_test_secret")), calls[0].Authorization);
        var log = await app.QueryAsync(db => db.IntegrationLog.Where(e => e.OutboxMessageId == sent.Id).OrderBy(e => e.Id).Select(e => new { e.Status, e.Response }).ToListAsync());
        Assert.Equal([Kontor.Commerce.IntegrationStatus.Failed, Kontor.Commerce.IntegrationStatus.Failed, Kontor.Commerce.IntegrationStatus.Sent], log.Select(e => e.Status));
        Assert.StartsWith("503", log[0].Response);
        Assert.Contains("\"status\":\"processing\"", log[2].Response);
    }

    [Fact]
    public async Task After_eight_failures_a_message_is_dead_lettered_and_a_manual_replay_sends_it()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, orderId, externalId) = await ShopOrderAsync(shop);
        shop.FailNext = 1000;
        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });

        for (var i = 0; i < 9; i++)
        {
            await Dispatcher.DispatchDueAsync();
            app.Clock.Set(app.Clock.GetUtcNow().AddHours(2));
        }

        var dead = await MessageOfAsync(channelId);
        admin = await app.ClientAsync(Roles.Admin);   // the token expired while the clock ran 18 hours
        Assert.Equal((OutboxStatus.DeadLetter, 8), (dead.Status, dead.Attempts));
        Assert.Equal(8, shop.Calls.Count);   // the ninth round found nothing to send
        Assert.StartsWith("503", dead.LastError);
        var listed = (await admin.GetOkAsync($"/api/integrations/outbox?status=DeadLetter&channelId={channelId}")).AsArray();
        Assert.Equal(dead.Id.ToString(), Assert.Single(listed)!.Str("id"));

        shop.FailNext = 0;
        await admin.PostOkAsync($"/api/integrations/outbox/{dead.Id}/replay");
        await Dispatcher.DispatchDueAsync();

        var replayed = await MessageOfAsync(channelId);
        Assert.Equal((OutboxStatus.Sent, 1), (replayed.Status, replayed.Attempts));
        Assert.Equal(9, shop.Calls.Count);
        Assert.Equal($"/wp-json/wc/v3/orders/{externalId}", shop.Calls.Last().Path);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(HttpMethod.Post, $"/api/integrations/outbox/{dead.Id}/replay")).Status);
    }

    [Fact]
    public async Task Two_dispatchers_at_once_send_a_message_once()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, orderId, _) = await ShopOrderAsync(shop);
        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });
        // A second host on the same database: another node with its own dispatcher.
        await using var other = app.OpenOnSameDatabase();
        await ((Xunit.IAsyncLifetime)other).InitializeAsync();
        other.Clock.Set(app.Clock.GetUtcNow());

        await Task.WhenAll(Dispatcher.DispatchDueAsync(), other.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(),
            Dispatcher.DispatchDueAsync());

        Assert.Single(shop.Calls);
        Assert.Equal((OutboxStatus.Sent, 1), ((await MessageOfAsync(channelId)).Status, (await MessageOfAsync(channelId)).Attempts));
    }

    [Fact]
    public async Task A_shop_answering_a_redirect_is_a_failed_attempt_naming_where_it_pointed_and_the_token_does_not_follow()
    {
        await using var shop = await FakeShop.StartAsync();
        await using var elsewhere = await FakeShop.StartAsync();
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "Shopify", Secret, "Net", "Never", shop.BaseAddress);
        shop.RedirectTo = elsewhere.BaseAddress;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            var outbox = scope.ServiceProvider.GetRequiredService<OutboxWriter>();
            await unitOfWork.ExecuteAsync(_ => Task.FromResult(outbox.Enqueue(OutboxMessageTypes.Stock, channelId, new { externalProductId = "808950810", sku = "PLECAK-01", quantity = 7 })));
        }

        await Dispatcher.DispatchDueAsync();

        // A followed 307 took the POST, its body and X-Shopify-Access-Token to the other host, and its 201 counted as sent.
        Assert.Empty(elsewhere.Calls);
        var message = await MessageOfAsync(channelId);
        Assert.Equal((OutboxStatus.Pending, 1), (message.Status, message.Attempts));
        var attempt = await app.QueryAsync(db => db.IntegrationLog.SingleAsync(e => e.OutboxMessageId == message.Id));
        Assert.Equal(Kontor.Commerce.IntegrationStatus.Failed, attempt.Status);
        Assert.StartsWith($"307 Temporary Redirect → {elsewhere.BaseAddress}/admin/api/2024-01/inventory_levels/set.json\n", attempt.Response);
    }

    [Fact]
    public async Task Shopify_gets_a_fulfillment_when_the_order_ships_and_stock_levels_through_inventory_levels_set()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, orderId, externalId) = await ShopOrderAsync(shop, "Shopify");
        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });
        // Shipping issues the goods: they must be on hand.
        var goods = await app.QueryAsync(db => db.StockReservations.Where(r => r.OrderId == orderId).Select(r => new { r.ProductId, r.Ordered }).ToListAsync());
        foreach (var g in goods)
        {
            var receipt = await admin.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", lines = new[] { new { productId = g.ProductId, quantity = g.Ordered.ToString(System.Globalization.CultureInfo.InvariantCulture), unitCost = "4.00" } } });
            await admin.PostOkAsync($"/api/stock-documents/{receipt.Id()}/post");
        }
        await admin.PostOkAsync($"/api/orders/{orderId}/ship", new { trackingNumber = "1Z999AA10123456784", carrier = "UPS" });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            var outbox = scope.ServiceProvider.GetRequiredService<OutboxWriter>();
            await unitOfWork.ExecuteAsync(_ => Task.FromResult(outbox.Enqueue(OutboxMessageTypes.Stock, channelId, new { externalProductId = "808950810", sku = "PLECAK-01", quantity = 7 })));
        }

        await Dispatcher.DispatchDueAsync();

        var messages = await app.QueryAsync(db => db.OutboxMessages.Where(m => m.ChannelId == channelId).OrderBy(m => m.Id).Select(m => m.Status).ToListAsync());
        Assert.Equal([OutboxStatus.Sent, OutboxStatus.Sent, OutboxStatus.Sent], messages);   // processing (no call for Shopify), completed, stock
        var calls = shop.Calls.ToList();
        Assert.Equal(2, calls.Count);
        var fulfillment = calls.Single(c => c.Path.EndsWith("/fulfillments.json"));
        Assert.Equal(($"/admin/api/2024-01/orders/{externalId}/fulfillments.json", "cs_test_secret"), (fulfillment.Path, fulfillment.ShopifyToken));
        Assert.Equal(("1Z999AA10123456784", "UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456784"),
            ((string?)fulfillment.Body?["fulfillment"]?["tracking_info"]?["number"], (string?)fulfillment.Body?["fulfillment"]?["tracking_info"]?["company"],
             (string?)fulfillment.Body?["fulfillment"]?["tracking_info"]?["url"]));
        var stock = calls.Single(c => c.Path == "/admin/api/2024-01/inventory_levels/set.json");
        Assert.Equal(("808950810", 7), ((string?)stock.Body?["inventory_item_id"], (int?)stock.Body?["available"]));
    }

    [Theory]
    [InlineData("WooCommerce")]
    [InlineData("Shopify")]
    public async Task An_order_cancelled_in_Kontor_is_cancelled_in_the_shop(string type)
    {
        // The customer phoned: the order is cancelled here, and the shop (the customer's account, the shop's own stock) must know.
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, orderId, externalId) = await ShopOrderAsync(shop, type);

        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "Cancelled" });
        var message = await MessageOfAsync(channelId);
        Assert.Equal("cancelled", System.Text.Json.Nodes.JsonNode.Parse(message.Payload).Str("status"));
        await Dispatcher.DispatchDueAsync();

        Assert.Equal(OutboxStatus.Sent, (await MessageOfAsync(channelId)).Status);
        var call = Assert.Single(shop.Calls);
        if (type == "WooCommerce")
            Assert.Equal(("PUT", $"/wp-json/wc/v3/orders/{externalId}", "cancelled"), (call.Method, call.Path, (string?)call.Body?["status"]));
        else
            Assert.Equal(("POST", $"/admin/api/2024-01/orders/{externalId}/cancel.json", "other", true, "cs_test_secret"),
                (call.Method, call.Path, (string?)call.Body?["reason"], (bool?)call.Body?["email"], call.ShopifyToken));
    }

    [Theory]
    [InlineData("cancelled")]
    [InlineData("completed")]
    public async Task A_shopify_cancel_or_fulfilment_whose_answer_was_lost_is_sent_when_the_retry_finds_it_done(string status)
    {
        // Shopify acted, the answer never came back (504); the retry is refused with 422 because the order is already so.
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, orderId, externalId) = await ShopOrderAsync(shop, "Shopify");
        await app.QueryAsync(db => db.OutboxMessages.Where(m => m.ChannelId == channelId).ExecuteDeleteAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            var outbox = scope.ServiceProvider.GetRequiredService<OutboxWriter>();
            await unitOfWork.ExecuteAsync(_ => Task.FromResult(outbox.Enqueue(OutboxMessageTypes.OrderStatus, channelId, new { orderId, externalOrderId = externalId, status })));
        }
        var action = status == "cancelled" ? "cancel.json" : "fulfillments.json";
        shop.LoseAnswerOnce = "/" + action;

        await Dispatcher.DispatchDueAsync();
        Assert.Equal((OutboxStatus.Pending, 1), ((await MessageOfAsync(channelId)).Status, (await MessageOfAsync(channelId)).Attempts));
        app.Clock.Set(app.Clock.GetUtcNow().AddHours(1));
        await Dispatcher.DispatchDueAsync();

        var sent = await MessageOfAsync(channelId);
        Assert.Equal((OutboxStatus.Sent, 2), (sent.Status, sent.Attempts));
        Assert.Equal([("POST", action), ("POST", action), ("GET", $"{externalId}.json?fields=id,cancelled_at,fulfillment_status")],
            shop.Calls.Select(c => (c.Method, c.Path.Split('/').Last())).ToList());
        var log = await app.QueryAsync(db => db.IntegrationLog.Where(e => e.OutboxMessageId == sent.Id).OrderBy(e => e.Id).Select(e => new { e.Status, e.Response }).ToListAsync());
        Assert.Equal([Kontor.Commerce.IntegrationStatus.Failed, Kontor.Commerce.IntegrationStatus.Sent], log.Select(e => e.Status));
        Assert.StartsWith("422 ", log[1].Response);
        Assert.Contains("\n200 OK\n", log[1].Response);
    }

    [Fact]
    public async Task A_shopify_cancel_refused_for_an_order_that_is_not_cancelled_stays_a_failure()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, orderId, externalId) = await ShopOrderAsync(shop, "Shopify");
        shop.ShopifyUncancellable[externalId] = true;

        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "Cancelled" });
        await Dispatcher.DispatchDueAsync();

        var message = await MessageOfAsync(channelId);
        Assert.Equal((OutboxStatus.Pending, 1), (message.Status, message.Attempts));
        Assert.StartsWith("422 ", message.LastError);
        Assert.Equal(["POST", "GET"], shop.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task An_order_the_shop_cancelled_is_cancelled_here_and_nothing_is_echoed_back()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, orderId, externalId) = await ShopOrderAsync(shop);
        // The same order, modified later, now cancelled (an update applies by state and time; its lines are the order's own).
        var products = await app.QueryAsync(db => db.Orders.Where(o => o.Id == orderId).SelectMany(o => o.Lines).Select(l => l.ProductId).ToListAsync());
        var skus = await app.QueryAsync(db => db.Products.Where(p => products.Contains(p.Id)).Select(p => p.Sku!).ToListAsync());
        var cancelled = WooOrder(externalId, skus[0], skus[1], $"out{externalId}@example.com", modifiedGmt: "2026-03-20T11:00:00", status: "cancelled");

        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", cancelled.ToJsonString(), Secret);

        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        Assert.Equal("Cancelled", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        Assert.Empty(await app.QueryAsync(db => db.OutboxMessages.Where(m => m.ChannelId == channelId).ToListAsync()));
        await Dispatcher.DispatchDueAsync();
        Assert.Empty(shop.Calls);
    }

    [Theory]
    [InlineData(1, 2.5, 5)]
    [InlineData(4, 20, 40)]
    [InlineData(20, 1800, 3600)]
    public void Backoff_doubles_per_attempt_with_jitter_up_to_the_cap(int attempt, double min, double max)
    {
        var options = new OutboxOptions();
        Assert.Equal(TimeSpan.FromSeconds(min), OutboxBackoff.Delay(attempt, options, 0));
        Assert.Equal(TimeSpan.FromSeconds(max), OutboxBackoff.Delay(attempt, options, 1));
    }
}

public sealed class SqliteOutboxTests(SqliteApp app) : OutboxTests<SqliteApp>(app);

public sealed class PostgresOutboxTests(PostgresApp app) : OutboxTests<PostgresApp>(app);
