using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kontor.Commerce;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>
/// The order catch-up pull (docs/commerce.md "Catch-up pull"): orders the webhooks never brought are fetched from the
/// shop's REST API (the fake shop) and ingested exactly as webhook deliveries — idempotent, in the shop's modification order.
/// </summary>
public abstract class ShopOrderPullTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-pull-0123456789abcdef";
    /// <summary>The test clock's start (KontorApp.DefaultToday 10:00 UTC): channels are created then.</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 20, 10, 0, 0, TimeSpan.Zero);

    private static string PullUrl(Guid channelId) => $"/api/integrations/channels/{channelId}/pull-orders";

    private async Task<(HttpClient Admin, Guid ChannelId, string Kubek, string Czajnik)> SetupAsync(FakeShop shop, string type = "WooCommerce", string invoiceMoment = "OnPayment")
    {
        app.Clock.Set(Start);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, type, Secret, "Net", invoiceMoment, shop.BaseAddress);
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        return (admin, channelId, kubek, czajnik);
    }

    /// <summary>A Shopify order (the sample, in PLN) with its own id, SKU and e-mail, updated at <paramref name="updatedAt"/>.</summary>
    private static JsonObject ShopifyOrder(string id, string sku, string updatedAt, bool cancelled = false)
    {
        var order = Load("shopify-order.json");
        order["id"] = long.Parse(id);
        order["name"] = "#" + id;
        order["currency"] = "PLN";
        order["email"] = $"pull{id}@example.com";
        order["customer"]!["email"] = $"pull{id}@example.com";
        order["updated_at"] = updatedAt;
        order["line_items"]![0]!["sku"] = sku;
        if (cancelled) order["cancelled_at"] = updatedAt;
        return order;
    }

    private Task<List<(string ExternalId, Guid Id, Kontor.Orders.OrderStatus Status, Guid? InvoiceId)>> OrdersAsync(Guid channelId) => app.QueryAsync(async db =>
        (await db.Orders.Where(o => o.ChannelId == channelId).Select(o => new { o.ExternalOrderId, o.Id, o.Status, o.InvoiceId }).ToListAsync())
        .Select(o => (o.ExternalOrderId!, o.Id, o.Status, o.InvoiceId)).OrderBy(o => o.Item1).ToList());

    private Task<DateTimeOffset?> WatermarkAsync(Guid channelId) =>
        app.QueryAsync(db => db.SalesChannels.Where(c => c.Id == channelId).Select(c => c.OrdersPulledUntil).SingleAsync());

    private static void AssertSummary(JsonNode summary, int fetched, int created, int updated, int unchanged, int held, int rejected) =>
        Assert.Equal((fetched, created, updated, unchanged, held, rejected),
            ((int)summary["fetched"]!, (int)summary["created"]!, (int)summary["updated"]!, (int)summary["unchanged"]!, (int)summary["held"]!, (int)summary["rejected"]!));

    /// <summary>The time of day of modified_after and the page number of each WooCommerce list call: "10%3A05%3A59 page=1".</summary>
    private static List<string> WooPages(FakeShop shop) => shop.ListCalls
        .Select(c => c.Query[(c.Query.IndexOf("T", StringComparison.Ordinal) + 1)..c.Query.IndexOf('&')] + " " + c.Query[(c.Query.LastIndexOf('&') + 1)..]).ToList();

    private static DateTimeOffset? Instant(JsonNode summary, string property) =>
        summary[property] is { } value ? DateTimeOffset.Parse(value.GetValue<string>()) : null;

    [Fact]
    public async Task Three_orders_on_the_shop_one_delivered_by_webhook_the_pull_creates_the_two_missing_and_leaves_the_third_as_it_was()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, kubek, czajnik) = await SetupAsync(shop);
        var ids = new[] { UniqueId(), UniqueId(), UniqueId() };
        var orders = ids.Select((id, i) => WooOrder(id, kubek, czajnik, $"pull{id}@example.com", $"2026-03-20T10:0{5 + i}:00")).ToList();
        foreach (var order in orders) shop.PutWooOrder(order);
        var webhook = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", orders[0].ToJsonString(), Secret);
        Assert.Equal(HttpStatusCode.OK, webhook.Status);
        app.Clock.Set(Start.AddMinutes(30));

        var summary = await admin.PostOkAsync(PullUrl(channelId));

        AssertSummary(summary, fetched: 3, created: 2, updated: 0, unchanged: 1, held: 0, rejected: 0);
        // The newest modification time the shop showed (10:07), not "now" (10:30).
        var newest = new DateTimeOffset(2026, 3, 20, 10, 7, 0, TimeSpan.Zero);
        Assert.Equal(newest, Instant(summary, "pulledUntil"));
        Assert.Equal(newest, await WatermarkAsync(channelId));
        Assert.Equal(Start, Instant(summary, "since"));   // first pull: from the channel's creation
        Assert.Equal(newest, Instant(await admin.GetOkAsync($"/api/channels/{channelId}"), "ordersPulledUntil"));
        var call = Assert.Single(shop.ListCalls);
        Assert.Equal("/wp-json/wc/v3/orders", call.Path);
        Assert.Equal("?modified_after=2026-03-20T10%3A00%3A00&dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page=1", call.Query);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ck_test:cs_test_secret")), call.Authorization);

        var inKontor = await OrdersAsync(channelId);
        Assert.Equal(ids.Order(), inKontor.Select(o => o.ExternalId));   // exactly one order per shop order
        var orderIds = inKontor.Select(o => o.Id).ToList();
        var invoiceIds = inKontor.Select(o => o.InvoiceId ?? throw new Xunit.Sdk.XunitException("a paid order has no invoice")).ToList();
        var (invoices, reservations, payments, postings) = await app.QueryAsync(async db => (
            await db.Invoices.Where(i => invoiceIds.Contains(i.Id)).Select(i => new { i.Id, i.TotalGross }).ToListAsync(),
            await db.StockReservations.Where(r => orderIds.Contains(r.OrderId)).Select(r => new { r.OrderId, r.Ordered }).ToListAsync(),
            await db.PaymentAllocations.Where(a => invoiceIds.Contains(a.SourceId)).Select(a => a.Amount).ToListAsync(),
            await db.JournalLines.Where(l => db.JournalEntries.Any(e => e.Id == l.EntryId && invoiceIds.Contains(e.SourceId)))
                .Select(l => new { l.AccountCode, l.Debit, l.Credit }).ToListAsync()));
        // One invoice per order, each 205.00 net + 47.15 VAT = 252.15 (2 × 45.00 + 100.00 + 15.00 shipping; 23 %), paid once.
        Assert.Equal(3, invoices.Count);
        Assert.All(invoices, i => Assert.Equal(252.15m, i.TotalGross));
        Assert.Equal([252.15m, 252.15m, 252.15m], payments);
        // One reservation per order and product: 2 mugs and 1 kettle each.
        Assert.Equal(6, reservations.Count);
        Assert.All(orderIds, id => Assert.Equal([1m, 2m], reservations.Where(r => r.OrderId == id).Select(r => r.Ordered).Order()));
        var byAccount = postings.GroupBy(p => p.AccountCode[..3]).ToDictionary(g => g.Key, g => (g.Sum(p => p.Debit), g.Sum(p => p.Credit)));
        Assert.Equal((3 * 252.15m, 0m), byAccount["201"]);
        Assert.Equal((0m, 3 * 205.00m), byAccount["700"]);
        Assert.Equal((0m, 3 * 47.15m), byAccount["221"]);
        Assert.True((await admin.GetOkAsync("/api/ledger/trial-balance?asOf=2026-12-31"))["balanced"]!.GetValue<bool>());

        // The pull is one log entry with the counts; its orders are logged as "order-pull", the webhook's as "order-webhook".
        var log = await app.QueryAsync(db => db.IntegrationLog.Where(e => e.ChannelId == channelId).ToListAsync());
        var entry = Assert.Single(log, e => e is { Kind: "order-pull", ExternalId: null });
        Assert.Equal((IntegrationDirection.In, IntegrationStatus.Info), (entry.Direction, entry.Status));
        Assert.Contains("fetched 3 (created 2, updated 0, unchanged 1, held 0, rejected 0)", entry.Response);
        // The one Kontor already had is counted in the pull's entry, not logged again by itself.
        var pulled = log.Where(e => e is { Kind: "order-pull", ExternalId: not null }).ToDictionary(e => e.ExternalId!, e => e.Status);
        Assert.Equal(new[] { ids[1], ids[2] }.Order(), pulled.Keys.Order());
        Assert.All(pulled.Values, status => Assert.Equal(IntegrationStatus.Accepted, status));
        Assert.Single(log, e => e.Kind == "order-webhook");
    }

    [Fact]
    public async Task An_order_cancelled_on_the_shop_after_its_webhook_is_cancelled_by_the_pull_and_its_reservation_released()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, kubek, czajnik) = await SetupAsync(shop);
        var id = UniqueId();
        var pending = WooOrder(id, kubek, czajnik, $"pull{id}@example.com", "2026-03-20T10:05:00", paid: false, status: "pending");
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", pending.ToJsonString(), Secret);
        Assert.Equal((HttpStatusCode.OK, "Created"), (status, answer.Str("outcome")));
        // The customer cancelled on the shop; that webhook never arrived.
        shop.PutWooOrder(WooOrder(id, kubek, czajnik, $"pull{id}@example.com", "2026-03-20T10:20:00", paid: false, status: "cancelled"));
        app.Clock.Set(Start.AddMinutes(30));

        var summary = await admin.PostOkAsync(PullUrl(channelId));

        AssertSummary(summary, fetched: 1, created: 0, updated: 1, unchanged: 0, held: 0, rejected: 0);
        var order = Assert.Single(await OrdersAsync(channelId));
        Assert.Equal((Kontor.Orders.OrderStatus.Cancelled, null), (order.Status, order.InvoiceId));
        var reservations = await app.QueryAsync(db => db.StockReservations.Where(r => r.OrderId == order.Id).Select(r => new { r.Reserved, r.Released }).ToListAsync());
        Assert.Equal(2, reservations.Count);
        Assert.All(reservations, r => Assert.Equal((0m, true), (r.Reserved, r.Released)));

        // Pulled again: the same cancellation is already applied, nothing changes.
        var again = await admin.PostOkAsync(PullUrl(channelId));
        AssertSummary(again, fetched: 1, created: 0, updated: 0, unchanged: 1, held: 0, rejected: 0);
    }

    [Fact]
    public async Task WooCommerce_pages_are_followed_and_the_next_pull_asks_from_the_watermark_less_the_overlap()
    {
        await using var shop = await FakeShop.StartAsync();
        shop.PageSize = 2;
        var (admin, channelId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        var ids = Enumerable.Range(0, 5).Select(_ => UniqueId()).ToList();
        // Modified 10:05 … 10:09; the shop lists them oldest first, two per page: 3 pages.
        for (var i = 0; i < ids.Count; i++) shop.PutWooOrder(WooOrder(ids[i], kubek, czajnik, $"pull{ids[i]}@example.com", $"2026-03-20T10:0{5 + i}:00", paid: false));
        app.Clock.Set(Start.AddMinutes(30));

        var first = await admin.PostOkAsync(PullUrl(channelId));

        AssertSummary(first, fetched: 5, created: 5, updated: 0, unchanged: 0, held: 0, rejected: 0);
        // Keyset pages: each next page asks from the last order's second less one (the order of that second comes again and
        // is passed over), not page=N.
        Assert.Equal(["10%3A00%3A00 page=1", "10%3A05%3A59 page=1", "10%3A06%3A59 page=1", "10%3A07%3A59 page=1"], WooPages(shop));
        Assert.Equal(ids.Order(), (await OrdersAsync(channelId)).Select(o => o.ExternalId));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 9, 0, TimeSpan.Zero), await WatermarkAsync(channelId));

        // One more order changes at 10:40; the next pull (at 11:00) asks from 10:09 − 10 min = 09:59.
        shop.ListCalls.Clear();
        shop.PutWooOrder(WooOrder(ids[4], kubek, czajnik, $"pull{ids[4]}@example.com", "2026-03-20T10:40:00", paid: false, status: "on-hold"));
        app.Clock.Set(Start.AddHours(1));

        var second = await admin.PostOkAsync(PullUrl(channelId));

        // Everything modified after 09:59 — the five orders again, on 4 keyset pages — and only the changed one is applied.
        Assert.Equal(["09%3A59%3A00 page=1", "10%3A05%3A59 page=1", "10%3A06%3A59 page=1", "10%3A07%3A59 page=1"], WooPages(shop));
        Assert.StartsWith("?modified_after=2026-03-20T09%3A59%3A00&", shop.ListCalls.First().Query);
        AssertSummary(second, fetched: 5, created: 0, updated: 1, unchanged: 4, held: 0, rejected: 0);
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 40, 0, TimeSpan.Zero), Instant(second, "pulledUntil"));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 9, 59, 0, TimeSpan.Zero), Instant(second, "since"));
        Assert.Equal(5, (await OrdersAsync(channelId)).Count);
    }

    [Fact]
    public async Task An_order_changed_during_a_WooCommerce_pull_loses_no_other_order_between_pages_and_the_watermark_moves()
    {
        await using var shop = await FakeShop.StartAsync();
        shop.PageSize = 2;
        var (admin, channelId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        var ids = Enumerable.Range(0, 5).Select(_ => UniqueId()).ToList();
        for (var i = 0; i < ids.Count; i++) shop.PutWooOrder(WooOrder(ids[i], kubek, czajnik, $"pull{ids[i]}@example.com", $"2026-03-20T10:0{5 + i}:00", paid: false));
        // While the pull reads, the first order (10:05, on the first page) is put on hold at 10:20: it moves to the end of the
        // list. With page=2 the list would then have shifted and the 10:07 order fallen between pages 1 and 2.
        shop.ListOverride = _ =>
        {
            if (shop.ListCalls.Count == 2)
                shop.PutWooOrder(WooOrder(ids[0], kubek, czajnik, $"pull{ids[0]}@example.com", "2026-03-20T10:20:00", paid: false, status: "on-hold"));
            return null;
        };
        app.Clock.Set(Start.AddMinutes(30));

        var summary = await admin.PostOkAsync(PullUrl(channelId));

        Assert.Equal(ids.Order(), (await OrdersAsync(channelId)).Select(o => o.ExternalId));
        // Every order, and the changed one twice: first as it was, then its change.
        AssertSummary(summary, fetched: 6, created: 5, updated: 1, unchanged: 0, held: 0, rejected: 0);
        Assert.Equal(["10%3A00%3A00 page=1", "10%3A05%3A59 page=1", "10%3A06%3A59 page=1", "10%3A07%3A59 page=1", "10%3A08%3A59 page=1"], WooPages(shop));
        // No order could have slid past a page: the watermark moves to the change.
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 20, 0, TimeSpan.Zero), await WatermarkAsync(channelId));
    }

    [Fact]
    public async Task WooCommerce_orders_of_one_second_across_a_page_boundary_are_all_taken_and_more_than_a_page_of_them_go_by_page_number()
    {
        await using var shop = await FakeShop.StartAsync();
        shop.PageSize = 2;
        var (admin, channelId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        // 10:05, three at 10:06:30 (a bulk edit), 10:07: the second page's keyset is the first page's last second again.
        var ids = Enumerable.Range(0, 5).Select(_ => UniqueId()).ToList();
        var times = new[] { "10:05:00", "10:06:30", "10:06:30", "10:06:30", "10:07:00" };
        for (var i = 0; i < ids.Count; i++) shop.PutWooOrder(WooOrder(ids[i], kubek, czajnik, $"pull{ids[i]}@example.com", $"2026-03-20T{times[i]}", paid: false));
        app.Clock.Set(Start.AddMinutes(30));

        var summary = await admin.PostOkAsync(PullUrl(channelId));

        // Page 1: 10:05 and one of 10:06:30. Page 2 from 10:06:29: two of 10:06:30 — a whole page of that second, so the
        // next one goes by number under the same modified_after: the third of 10:06:30 and 10:07.
        Assert.Equal(["10%3A00%3A00 page=1", "10%3A06%3A29 page=1", "10%3A06%3A29 page=2"], WooPages(shop));
        AssertSummary(summary, fetched: 5, created: 5, updated: 0, unchanged: 0, held: 0, rejected: 0);
        Assert.Equal(ids.Order(), (await OrdersAsync(channelId)).Select(o => o.ExternalId));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 7, 0, TimeSpan.Zero), await WatermarkAsync(channelId));
    }

    [Fact]
    public async Task Shopify_pages_are_followed_by_the_Link_header_as_given_and_the_watermark_is_the_newest_updated_at()
    {
        await using var shop = await FakeShop.StartAsync();
        shop.PageSize = 2;
        var (admin, channelId, kubek, _) = await SetupAsync(shop, "Shopify", "Never");
        var ids = Enumerable.Range(0, 3).Select(_ => UniqueId()).ToList();
        // Shopify's times carry the shop's offset: 11:05+01:00 is 10:05 UTC.
        shop.PutShopifyOrder(ShopifyOrder(ids[0], kubek, "2026-03-20T11:05:00+01:00"));
        shop.PutShopifyOrder(ShopifyOrder(ids[1], kubek, "2026-03-20T11:12:30+01:00"));
        shop.PutShopifyOrder(ShopifyOrder(ids[2], kubek, "2026-03-20T11:07:00+01:00"));
        app.Clock.Set(Start.AddMinutes(30));

        var summary = await admin.PostOkAsync(PullUrl(channelId));

        AssertSummary(summary, fetched: 3, created: 3, updated: 0, unchanged: 0, held: 0, rejected: 0);
        var calls = shop.ListCalls.ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("?status=any&updated_at_min=2026-03-20T10%3A00%3A00Z&limit=250", calls[0].Query);
        // The second page is asked exactly by the Link the shop gave (limit + page_info; the fake shop, like Shopify, refuses other filters with it).
        Assert.StartsWith("?limit=2&page_info=", calls[1].Query);
        Assert.All(calls, c => Assert.Equal("cs_test_secret", c.ShopifyToken));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 12, 30, TimeSpan.Zero), await WatermarkAsync(channelId));
        Assert.Equal(ids.Order(), (await OrdersAsync(channelId)).Select(o => o.ExternalId));

        // The shop cancels the second one at 11:20+01:00; the next pull asks from 10:12:30 − 10 min and applies it.
        shop.ListCalls.Clear();
        shop.PutShopifyOrder(ShopifyOrder(ids[1], kubek, "2026-03-20T11:20:00+01:00", cancelled: true));
        var second = await admin.PostOkAsync(PullUrl(channelId));
        Assert.Equal("?status=any&updated_at_min=2026-03-20T10%3A02%3A30Z&limit=250", shop.ListCalls.First().Query);
        AssertSummary(second, fetched: 3, created: 0, updated: 1, unchanged: 2, held: 0, rejected: 0);
        Assert.Equal(Kontor.Orders.OrderStatus.Cancelled, (await OrdersAsync(channelId)).Single(o => o.ExternalId == ids[1]).Status);
    }

    [Fact]
    public async Task A_shop_failing_on_page_two_is_a_502_the_watermark_stays_page_one_stays_ingested_and_the_failure_is_logged()
    {
        await using var shop = await FakeShop.StartAsync();
        shop.PageSize = 2;
        shop.FailListPage = 2;
        var (admin, channelId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        using var metrics = new PullMetrics(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var ids = Enumerable.Range(0, 3).Select(_ => UniqueId()).ToList();
        for (var i = 0; i < ids.Count; i++) shop.PutWooOrder(WooOrder(ids[i], kubek, czajnik, $"pull{ids[i]}@example.com", $"2026-03-20T10:0{5 + i}:00", paid: false));
        app.Clock.Set(Start.AddMinutes(30));

        var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(channelId));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("500", problem.Str("detail"));
        Assert.Contains("Database connection lost.", problem.Str("detail"));
        Assert.Equal(500, (int)problem!["shopStatus"]!);
        Assert.Null(await WatermarkAsync(channelId));
        Assert.Equal(ids.Take(2).Order(), (await OrdersAsync(channelId)).Select(o => o.ExternalId));
        var failed = await app.QueryAsync(db => db.IntegrationLog.SingleAsync(e => e.ChannelId == channelId && e.Kind == "order-pull" && e.Status == IntegrationStatus.Failed));
        Assert.Contains("answered 500 Internal Server Error on page 2", failed.Error);
        Assert.Contains("modified_after=2026-03-20T10%3A05%3A59&", failed.Payload!.Split('\n')[1]);

        // The shop is well again: the next pull starts from the same place, takes the third and leaves the first two.
        shop.FailListPage = 0;
        var summary = await admin.PostOkAsync(PullUrl(channelId));
        AssertSummary(summary, fetched: 3, created: 1, updated: 0, unchanged: 2, held: 0, rejected: 0);
        Assert.Equal(Start, Instant(summary, "since"));
        // Metrics: the failed pull's 2 created, then 1 created + 2 unchanged; one failed and one successful pull.
        Assert.Equal([("pull", "failed", 1), ("pull", "succeeded", 1), ("order", "created", 3), ("order", "unchanged", 2)], metrics.Recorded());
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 7, 0, TimeSpan.Zero), await WatermarkAsync(channelId));
    }

    [Fact]
    public async Task Shopify_failing_on_page_two_and_a_shop_that_cannot_be_reached_are_502_and_move_no_watermark()
    {
        await using var shop = await FakeShop.StartAsync();
        shop.PageSize = 2;
        shop.FailListPage = 2;
        var (admin, channelId, kubek, _) = await SetupAsync(shop, "Shopify", "Never");
        var ids = Enumerable.Range(0, 3).Select(_ => UniqueId()).ToList();
        foreach (var id in ids) shop.PutShopifyOrder(ShopifyOrder(id, kubek, "2026-03-20T11:05:00+01:00"));
        app.Clock.Set(Start.AddMinutes(30));

        var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(channelId));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("answered 500 Internal Server Error on page 2", problem.Str("detail"));
        Assert.Null(await WatermarkAsync(channelId));
        Assert.Equal(ids.OrderBy(long.Parse).Take(2).Order(), (await OrdersAsync(channelId)).Select(o => o.ExternalId));   // page 1: the fake lists by id

        // Nothing listens on the address: the call fails before any answer — 502 too, logged, nothing moved.
        var unreachable = await CreateChannelAsync(admin, "WooCommerce", Secret, "Net", "Never", "http://127.0.0.1:1");
        var (downStatus, down, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(unreachable));
        Assert.Equal(HttpStatusCode.BadGateway, downStatus);
        Assert.Contains("could not be reached", down.Str("detail"));
        Assert.Null(await WatermarkAsync(unreachable));
        var failed = await app.QueryAsync(db => db.IntegrationLog.SingleAsync(e => e.ChannelId == unreachable));
        Assert.Equal(("order-pull", IntegrationStatus.Failed), (failed.Kind, failed.Status));
    }

    [Fact]
    public async Task A_login_or_maintenance_page_answered_with_200_is_a_502_saying_it_is_a_web_page_not_a_JSON_parser_error()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, _, _) = await SetupAsync(shop, invoiceMoment: "Never");
        // What a WordPress security plugin or a proxy in front of the shop answers: 200 and its own page.
        const string page = "<!DOCTYPE html>\n<html lang=\"en\">\n  <head><title>Site under maintenance</title></head>\n  <body><h1>Briefly unavailable for scheduled maintenance.</h1></body>\n</html>";
        shop.ListOverride = _ => Results.Content(page, "text/html; charset=UTF-8");
        app.Clock.Set(Start.AddMinutes(30));

        var (status, problem, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(channelId));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        var detail = problem.Str("detail");
        Assert.Contains("answered page 1 with a web page (text/html) instead of JSON", detail);
        Assert.Contains("It begins: <!DOCTYPE html> <html lang=\"en\"> <head><title>Site under maintenance</title>", detail);
        Assert.DoesNotContain("invalid start", detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, (int)problem!["shopStatus"]!);
        Assert.Contains("Briefly unavailable", problem.Str("shopBody"));
        Assert.Null(await WatermarkAsync(channelId));
        var failed = await app.QueryAsync(db => db.IntegrationLog.SingleAsync(e => e.ChannelId == channelId && e.Status == IntegrationStatus.Failed));
        Assert.Contains("with a web page", failed.Error);

        // The same page sent as JSON by a misconfigured plugin is recognised by its "<" too.
        shop.ListOverride = _ => Results.Content(page, "application/json");
        var (_, asJson, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(channelId));
        Assert.Contains("with a web page (application/json) instead of JSON", asJson.Str("detail"));
    }

    [Fact]
    public async Task Refused_credentials_say_what_to_check_per_shop_and_other_errors_keep_the_plain_message()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, wooId, _, _) = await SetupAsync(shop, invoiceMoment: "Never");
        var shopifyId = await CreateChannelAsync(admin, "Shopify", Secret, "Net", "Never", shop.BaseAddress);
        app.Clock.Set(Start.AddMinutes(30));

        shop.ListOverride = _ => Results.Json(new { code = "woocommerce_rest_authentication_error", message = "Consumer key is invalid." }, statusCode: 401);
        var (wooStatus, woo, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(wooId));
        Assert.Equal(HttpStatusCode.BadGateway, wooStatus);
        Assert.Contains("answered 401 Unauthorized on page 1: check the channel's WooCommerce consumer key and secret", woo.Str("detail"));
        Assert.Contains("the key has Read or Read/Write permission", woo.Str("detail"));
        // The fake shop is on http://: WooCommerce takes Basic authentication only over https.
        Assert.Contains("use the shop's https:// address", woo.Str("detail"));
        Assert.Contains("Consumer key is invalid.", woo.Str("detail"));
        Assert.Equal(401, (int)woo!["shopStatus"]!);

        shop.ListOverride = _ => Results.Json(new { errors = "[API] This action requires merchant approval for read_orders scope." }, statusCode: 403);
        var (_, shopify, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(shopifyId));
        Assert.Contains("answered 403 Forbidden on page 1: check the channel's Admin API access token (its API secret) and that the app has the read_orders scope", shopify.Str("detail"));
        Assert.DoesNotContain("WooCommerce", shopify.Str("detail"));

        shop.ListOverride = _ => Results.Json(new { errors = "Exceeded 2 calls per second for api client." }, statusCode: 429);
        var (_, limited, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(shopifyId));
        Assert.Equal("The shop answered 429 Too Many Requests on page 1: {\"errors\":\"Exceeded 2 calls per second for api client.\"}", limited.Str("detail"));
        shop.ListOverride = _ => Results.Json(new { code = "internal_server_error" }, statusCode: 503);
        var (_, down, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(wooId));
        Assert.Equal("The shop answered 503 Service Unavailable on page 1: {\"code\":\"internal_server_error\"}", down.Str("detail"));
        Assert.Null(await WatermarkAsync(wooId));
        Assert.Null(await WatermarkAsync(shopifyId));
    }

    [Fact]
    public async Task A_page_larger_than_the_limit_stops_the_pull_naming_the_limit_whether_its_length_is_announced_or_it_never_ends()
    {
        await using var shop = await FakeShop.StartAsync();
        var (_, channelId, _, _) = await SetupAsync(shop, invoiceMoment: "Never");
        app.Clock.Set(Start.AddMinutes(30));
        await using var scope = app.Services.CreateAsyncScope();
        var pull = ActivatorUtilities.CreateInstance<ShopOrderPull>(scope.ServiceProvider, Options.Create(new OrderPullOptions { MaxPageMegabytes = 1 }));

        // Announced: Content-Length over the limit, refused before reading.
        shop.ListOverride = _ => Results.Bytes(Encoding.UTF8.GetBytes("[" + new string(' ', 2 * 1024 * 1024) + "]"), "application/json");
        var announced = await Assert.ThrowsAsync<ShopPullFailedException>(() => pull.PullAsync(channelId));
        Assert.Equal("The shop's answer to page 1 is larger than 1 MB (Commerce:OrderPull:MaxPageMegabytes); the pull stopped without moving the watermark.", announced.Message);

        // Chunked and endless (a proxy gone wrong): the reading stops at the limit — it used to be buffered until the timeout.
        shop.ListOverride = http => Results.Stream(async body =>
        {
            var piece = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"id\":1,\"status\":\"pending\"},", 1000)));
            await body.WriteAsync("["u8.ToArray(), http.RequestAborted);
            try { while (true) await body.WriteAsync(piece, http.RequestAborted); }
            catch (Exception e) when (e is OperationCanceledException or IOException) { }
        }, "application/json");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var endless = await Assert.ThrowsAsync<ShopPullFailedException>(() => pull.PullAsync(channelId));
        Assert.Contains("larger than 1 MB (Commerce:OrderPull:MaxPageMegabytes)", endless.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Null(await WatermarkAsync(channelId));
    }

    [Fact]
    public async Task A_redirect_is_not_followed_with_the_credentials_the_pull_fails_naming_where_it_pointed()
    {
        await using var shop = await FakeShop.StartAsync();
        await using var elsewhere = await FakeShop.StartAsync();
        var (admin, wooId, _, _) = await SetupAsync(shop, invoiceMoment: "Never");
        var shopifyId = await CreateChannelAsync(admin, "Shopify", Secret, "Net", "Never", shop.BaseAddress);
        app.Clock.Set(Start.AddMinutes(30));
        shop.ListOverride = http => Results.Redirect($"{elsewhere.BaseAddress}{http.Request.Path}{http.Request.QueryString}");

        var (status, shopify, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(shopifyId));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains($"answered 302 Found on page 1, a redirect to {elsewhere.BaseAddress}/admin/api/2024-01/orders.json?status=any", shopify.Str("detail"));
        Assert.Contains("Kontor does not follow redirects with the channel's credentials", shopify.Str("detail"));
        Assert.Contains("enter its new address as the channel's base address", shopify.Str("detail"));
        // The access token never reached the other address.
        Assert.Empty(elsewhere.ListCalls);

        // A relative Location (http → https of the same shop is the usual one) is named in full too.
        shop.ListOverride = _ => Results.Redirect("/shop/wp-json/wc/v3/orders", permanent: true);
        var (_, woo, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(wooId));
        Assert.Contains($"answered 301 Moved Permanently on page 1, a redirect to {shop.BaseAddress}/shop/wp-json/wc/v3/orders;", woo.Str("detail"));
        Assert.Equal(2, shop.ListCalls.Count);
        Assert.Null(await WatermarkAsync(wooId));
        Assert.Null(await WatermarkAsync(shopifyId));
    }

    [Fact]
    public async Task A_malformed_order_is_skipped_and_logged_an_unknown_SKU_is_held_and_the_rest_is_taken()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        var (good, broken, unknown) = (UniqueId(), UniqueId(), UniqueId());
        shop.PutWooOrder(WooOrder(good, kubek, czajnik, $"pull{good}@example.com", "2026-03-20T10:05:00", paid: false));
        var malformed = WooOrder(broken, kubek, czajnik, $"pull{broken}@example.com", "2026-03-20T10:06:00", paid: false);
        malformed["line_items"]![0]!["total"] = "12,5O";
        shop.PutWooOrder(malformed);
        shop.PutWooOrder(WooOrder(unknown, "NO-SUCH-SKU-" + unknown, czajnik, $"pull{unknown}@example.com", "2026-03-20T10:07:00", paid: false));
        app.Clock.Set(Start.AddMinutes(30));

        var summary = await admin.PostOkAsync(PullUrl(channelId));

        AssertSummary(summary, fetched: 3, created: 1, updated: 0, unchanged: 0, held: 1, rejected: 1);
        Assert.Equal([good], (await OrdersAsync(channelId)).Select(o => o.ExternalId));
        var rejected = await app.QueryAsync(db => db.IntegrationLog.SingleAsync(e => e.ChannelId == channelId && e.Status == IntegrationStatus.Rejected));
        Assert.Equal(("order-pull", broken), (rejected.Kind, rejected.ExternalId));
        Assert.Contains("line_items[0].total is not an amount", rejected.Error);
        Assert.Contains("12,5O", rejected.Payload);
        var hold = await app.QueryAsync(db => db.HeldShopOrders.SingleAsync(h => h.ChannelId == channelId));
        Assert.Equal((unknown, HoldStatus.Open), (hold.ExternalOrderId, hold.Status));
        Assert.Contains("Unknown SKU", hold.Reason);
        // Held and rejected orders were seen: the watermark passes them (the hold keeps its payload; the log keeps the malformed one).
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 7, 0, TimeSpan.Zero), await WatermarkAsync(channelId));
    }

    [Fact]
    public async Task A_manual_since_is_honoured_a_future_since_is_400_and_a_later_since_moves_the_watermark_only_on_the_first_pull()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        var (old, recent) = (UniqueId(), UniqueId());
        // An order from before the channel existed (09:30) and one after (10:05).
        shop.PutWooOrder(WooOrder(old, kubek, czajnik, $"pull{old}@example.com", "2026-03-20T09:30:00", paid: false));
        shop.PutWooOrder(WooOrder(recent, kubek, czajnik, $"pull{recent}@example.com", "2026-03-20T10:05:00", paid: false));
        app.Clock.Set(Start.AddMinutes(30));

        var (badStatus, problem, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(channelId), new { since = "2026-03-20T10:31:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.NotNull(problem!["errors"]!["since"]);
        var (garbledStatus, garbled, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(channelId), new { since = "yesterday" });
        Assert.Equal(HttpStatusCode.BadRequest, garbledStatus);
        Assert.NotNull(garbled!["errors"]!["since"]);
        Assert.Empty(shop.ListCalls);

        // The channel's first pull, by hand from 10:01: the person chose where its history starts, so the watermark is set.
        var first = await admin.PostOkAsync(PullUrl(channelId), new { since = "2026-03-20T10:01:00Z" });
        AssertSummary(first, fetched: 1, created: 1, updated: 0, unchanged: 0, held: 0, rejected: 0);
        Assert.StartsWith("?modified_after=2026-03-20T10%3A01%3A00&", shop.ListCalls.Last().Query);
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 5, 0, TimeSpan.Zero), await WatermarkAsync(channelId));

        // Later, a manual pull from 10:15 — after the scheduled start (10:05 − 10 min = 09:55) — leaves 09:55–10:15 unread: no move.
        shop.PutWooOrder(WooOrder(recent, kubek, czajnik, $"pull{recent}@example.com", "2026-03-20T10:20:00", paid: false, status: "on-hold"));
        var later = await admin.PostOkAsync(PullUrl(channelId), new { since = "2026-03-20T10:15:00Z" });
        AssertSummary(later, fetched: 1, created: 0, updated: 1, unchanged: 0, held: 0, rejected: 0);
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 5, 0, TimeSpan.Zero), Instant(later, "pulledUntil"));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 5, 0, TimeSpan.Zero), await WatermarkAsync(channelId));

        // An earlier one (09:00 UTC, given with its offset) covers the scheduled start: it fetches the old order and moves the watermark.
        var earlier = await admin.PostOkAsync(PullUrl(channelId), new { since = "2026-03-20T11:00:00+02:00" });
        Assert.StartsWith("?modified_after=2026-03-20T09%3A00%3A00&", shop.ListCalls.Last().Query);
        AssertSummary(earlier, fetched: 2, created: 1, updated: 0, unchanged: 1, held: 0, rejected: 0);
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 10, 20, 0, TimeSpan.Zero), await WatermarkAsync(channelId));
        Assert.Equal(new[] { old, recent }.Order(), (await OrdersAsync(channelId)).Select(o => o.ExternalId));
    }

    [Fact]
    public async Task The_first_pull_of_a_channel_created_long_ago_looks_back_only_a_day()
    {
        await using var shop = await FakeShop.StartAsync();
        var (_, channelId, _, _) = await SetupAsync(shop, invoiceMoment: "Never");
        // The channel has been around for three days when its first pull runs (an upgrade): 10:00 on 23 March less 24 h.
        app.Clock.Set(Start.AddDays(3));
        var admin = await app.ClientAsync(Roles.Admin);   // signed in now: a token from three days ago has expired

        var summary = await admin.PostOkAsync(PullUrl(channelId));

        Assert.Equal(Start.AddDays(2), Instant(summary, "since"));
        Assert.Equal("?modified_after=2026-03-22T10%3A00%3A00&dates_are_gmt=true&orderby=modified&order=asc&per_page=100&page=1",
            Assert.Single(shop.ListCalls).Query);
    }

    [Fact]
    public async Task A_quiet_channels_empty_pulls_fix_where_it_starts_so_a_long_outage_does_not_slide_the_look_back()
    {
        await using var shop = await FakeShop.StartAsync();
        var (_, channelId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        app.Clock.Set(Start.AddHours(1));
        var admin = await app.ClientAsync(Roles.Admin);

        var empty = await admin.PostOkAsync(PullUrl(channelId));

        // Nothing on the shop: the window checked (from the channel's creation at 10:00) is where the next pull starts.
        AssertSummary(empty, fetched: 0, created: 0, updated: 0, unchanged: 0, held: 0, rejected: 0);
        Assert.Equal(Start, await WatermarkAsync(channelId));
        // An order at 12:00, then Kontor is down for a day and a half: the next pull still asks from 09:50 (10:00 less the
        // overlap), not from "now less 24 h" (16:00 on the 20th), which would have missed it.
        var id = UniqueId();
        shop.PutWooOrder(WooOrder(id, kubek, czajnik, $"pull{id}@example.com", "2026-03-20T12:00:00", paid: false));
        app.Clock.Set(Start.AddHours(30));
        admin = await app.ClientAsync(Roles.Admin);

        var later = await admin.PostOkAsync(PullUrl(channelId));

        Assert.Equal(Start.AddMinutes(-10), Instant(later, "since"));
        AssertSummary(later, fetched: 1, created: 1, updated: 0, unchanged: 0, held: 0, rejected: 0);
    }

    [Fact]
    public async Task The_watermark_never_passes_now_even_when_the_shops_clock_runs_ahead()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, channelId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        var id = UniqueId();
        shop.PutWooOrder(WooOrder(id, kubek, czajnik, $"pull{id}@example.com", "2026-03-20T10:45:00", paid: false));
        app.Clock.Set(Start.AddMinutes(30));

        var summary = await admin.PostOkAsync(PullUrl(channelId));

        AssertSummary(summary, fetched: 1, created: 1, updated: 0, unchanged: 0, held: 0, rejected: 0);
        Assert.Equal(Start.AddMinutes(30), await WatermarkAsync(channelId));
    }

    [Fact]
    public async Task Channels_that_cannot_be_pulled_are_refused_with_409_naming_why_and_only_integration_managers_may_pull()
    {
        await using var shop = await FakeShop.StartAsync();
        app.Clock.Set(Start);
        var admin = await app.ClientAsync(Roles.Admin);
        var generic = await CreateChannelAsync(admin, "Generic", Secret, baseAddress: shop.BaseAddress);
        var noAddress = await CreateChannelAsync(admin, "WooCommerce", Secret);

        var (genericStatus, genericProblem, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(generic));
        var (noAddressStatus, noAddressProblem, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(noAddress));
        var (missingStatus, _, _) = await admin.SendAsync(HttpMethod.Post, PullUrl(Guid.NewGuid()));
        var (salesStatus, _, _) = await (await app.ClientAsync(Roles.Sales)).SendAsync(HttpMethod.Post, PullUrl(noAddress));

        Assert.Equal(HttpStatusCode.Conflict, genericStatus);
        Assert.Contains("Generic channel: it has no order API", genericProblem.Str("detail"));
        Assert.Equal(HttpStatusCode.Conflict, noAddressStatus);
        Assert.Contains("no base address", noAddressProblem.Str("detail"));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Forbidden), (missingStatus, salesStatus));
        Assert.Empty(shop.ListCalls);
        Assert.Equal(0, await app.QueryAsync(db => db.IntegrationLog.CountAsync(e => e.ChannelId == generic || e.ChannelId == noAddress)));
    }

    [Fact]
    public async Task The_workers_round_pulls_every_pullable_channel_and_skips_generic_ones()
    {
        await using var shop = await FakeShop.StartAsync();
        var (_, channelId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        var admin = await app.ClientAsync(Roles.Admin);
        var generic = await CreateChannelAsync(admin, "Generic", Secret, baseAddress: shop.BaseAddress);
        var id = UniqueId();
        shop.PutWooOrder(WooOrder(id, kubek, czajnik, $"pull{id}@example.com", "2026-03-20T10:05:00", paid: false));
        app.Clock.Set(Start.AddMinutes(30));

        var summaries = await app.Services.GetRequiredService<ShopOrderPullRound>().PullAllAsync();

        var ours = Assert.Single(summaries, s => s.ChannelId == channelId);
        Assert.Equal((1, 1), (ours.Fetched, ours.Created));
        Assert.DoesNotContain(summaries, s => s.ChannelId == generic);
        Assert.Equal([id], (await OrdersAsync(channelId)).Select(o => o.ExternalId));
    }

    [Fact]
    public async Task In_the_workers_round_a_channel_whose_shop_hangs_is_stopped_at_its_time_limit_and_the_next_channel_is_pulled()
    {
        await using var shop = await FakeShop.StartAsync();
        var (admin, wooId, kubek, czajnik) = await SetupAsync(shop, invoiceMoment: "Never");
        // The Shopify channel comes first in the round (by name); its shop takes the call and never answers.
        var hangingId = await CreateChannelAsync(admin, "Shopify", Secret, "Net", "Never", shop.BaseAddress);
        shop.ListOverride = http => http.Request.Path.StartsWithSegments("/admin")
            ? Results.Stream(body => Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default), "application/json")
            : null;
        var id = UniqueId();
        shop.PutWooOrder(WooOrder(id, kubek, czajnik, $"pull{id}@example.com", "2026-03-20T10:05:00", paid: false));
        app.Clock.Set(Start.AddMinutes(30));
        // 1.2 s instead of the default 10 min; the client's own 30 s per call would otherwise end the hang.
        var round = ActivatorUtilities.CreateInstance<ShopOrderPullRound>(app.Services, Options.Create(new OrderPullOptions { ChannelTimeoutMinutes = 0.02 }));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var summaries = await round.PullAllAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the round took {watch.Elapsed}");
        Assert.Contains(shop.ListCalls, c => c.Path.StartsWith("/admin", StringComparison.Ordinal));
        Assert.DoesNotContain(summaries, s => s.ChannelId == hangingId);
        Assert.Equal((1, 1), Assert.Single(summaries, s => s.ChannelId == wooId) is var woo ? (woo.Fetched, woo.Created) : default);
        Assert.Equal([id], (await OrdersAsync(wooId)).Select(o => o.ExternalId));
        Assert.Null(await WatermarkAsync(hangingId));
        var stopped = await app.QueryAsync(db => db.IntegrationLog.SingleAsync(e => e.ChannelId == hangingId));
        Assert.Equal(("order-pull", IntegrationStatus.Failed), (stopped.Kind, stopped.Status));
        Assert.StartsWith("The pull took longer than 0.02 min (Commerce:OrderPull:ChannelTimeoutMinutes) and was stopped", stopped.Error);
    }
}

/// <summary>The pull's measurements on one host's meter factory (other hosts in the test run have their own).</summary>
internal sealed class PullMetrics : IDisposable
{
    private readonly System.Diagnostics.Metrics.MeterListener listener = new();
    private readonly Dictionary<(string Instrument, string Tag), long> counts = [];

    public PullMetrics(System.Diagnostics.Metrics.IMeterFactory host)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ShopIngestionMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, host)
                && instrument.Name is ShopIngestionMetrics.Pulls or ShopIngestionMetrics.PulledOrders)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tag = "";
            foreach (var t in tags)
                if (t.Key is ShopIngestionMetrics.OutcomeTag or ShopIngestionMetrics.PullResultTag) tag = (string)t.Value!;
            var key = (instrument.Name == ShopIngestionMetrics.Pulls ? "pull" : "order", tag);
            lock (counts) counts[key] = counts.GetValueOrDefault(key) + value;
        });
        listener.Start();
    }

    public List<(string, string, long)> Recorded()
    {
        lock (counts) return counts.OrderByDescending(c => c.Key.Instrument).ThenBy(c => c.Key.Tag).Select(c => (c.Key.Instrument, c.Key.Tag, c.Value)).ToList();
    }

    public void Dispose() => listener.Dispose();
}

public sealed class SqliteShopOrderPullTests(SqliteApp app) : ShopOrderPullTests<SqliteApp>(app);

public sealed class PostgresShopOrderPullTests(PostgresApp app) : ShopOrderPullTests<PostgresApp>(app);
