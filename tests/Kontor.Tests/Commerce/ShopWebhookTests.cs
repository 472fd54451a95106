using System.Net;
using System.Text.Json.Nodes;
using Kontor.Commerce;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>Shop order webhooks: signatures, malformed bodies, idempotent and ordered ingestion, the exceptions queue, invoice + payment on paid.</summary>
public abstract class ShopWebhookTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-test-0123456789abcdef";

    private async Task<(HttpClient Admin, Guid ChannelId, string Kubek, string Czajnik)> WooSetupAsync(string invoiceMoment = "OnPayment")
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret, "Net", invoiceMoment);
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        return (admin, channelId, kubek, czajnik);
    }

    private Task<int> OrdersOfAsync(Guid channelId, string externalId) =>
        app.QueryAsync(db => db.Orders.CountAsync(o => o.ChannelId == channelId && o.ExternalOrderId == externalId));

    [Theory]
    [InlineData("woocommerce")]
    [InlineData("shopify")]
    [InlineData("generic")]
    public async Task Only_a_signature_made_with_the_channels_secret_over_the_exact_body_is_accepted(string type)
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelType = type switch { "woocommerce" => "WooCommerce", "shopify" => "Shopify", _ => "Generic" };
        var channelId = await CreateChannelAsync(admin, channelType, Secret, invoiceMoment: "Never");
        var sku = Sku();
        await CreateProductAsync(admin, sku);
        var id = UniqueId();
        JsonObject order = type switch
        {
            "woocommerce" => WooOrder(id, sku, sku, $"sig{id}@example.com"),
            "shopify" => Load("shopify-order.json"),
            _ => Load("generic-order.json"),
        };
        order["id"] = type == "generic" ? id : long.Parse(id);
        if (type != "woocommerce") { order["currency"] = "PLN"; order["line_items"]?[0]!["sku"] = sku; if (type == "generic") order["lines"]![0]!["sku"] = sku; }
        if (type == "shopify") order["email"] = $"sig{id}@example.com";
        if (type == "generic") { order["customer"]!["vatId"] = Builders.UniqueNip(); order["customer"]!["email"] = $"sig{id}@example.com"; }
        var body = order.ToJsonString();
        var anonymous = app.AnonymousClient();
        var now = app.Clock.GetUtcNow();

        var tampered = await DeliverAsync(anonymous, channelId, type, body.Replace("\"quantity\":1", "\"quantity\":100").Replace("\"quantity\":2", "\"quantity\":200").Replace("\"quantity\":10", "\"quantity\":1000"), Secret, now, signedBody: body);
        var wrongSecret = await DeliverAsync(anonymous, channelId, type, body, Secret + "x", now);
        var logBefore = await app.QueryAsync(db => db.IntegrationLog.CountAsync(e => e.ChannelId == channelId));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (tampered.Status, wrongSecret.Status));
        Assert.Equal((0, 0), (await OrdersOfAsync(channelId, id), logBefore));
        if (type == "generic")
        {
            // A correctly signed but old delivery (replayed) is refused too: the timestamp is part of what is signed.
            var replayed = await DeliverAsync(anonymous, channelId, type, body, Secret, now.AddMinutes(-6));
            Assert.Equal(HttpStatusCode.Unauthorized, replayed.Status);
        }

        var valid = await DeliverAsync(anonymous, channelId, type, body, Secret, now);
        Assert.True(valid.Status == HttpStatusCode.OK, $"{valid.Status} {valid.Body?.ToJsonString()}");
        Assert.Equal("Created", valid.Body.Str("outcome"));
        Assert.Equal(1, await OrdersOfAsync(channelId, id));
    }

    [Theory]
    [InlineData("{\"id\": 5, \"currency\": ", "not valid JSON")]
    [InlineData("{\"number\": \"5\", \"currency\": \"PLN\", \"date_modified_gmt\": \"2026-03-20T10:00:00\", \"line_items\": []}", "id is missing")]
    [InlineData("{\"id\": 5, \"currency\": \"PLN\", \"date_modified_gmt\": \"2026-03-20T10:00:00\", \"line_items\": [{\"sku\": \"X\", \"quantity\": 1, \"total\": \"12,5O\"}]}", "line_items[0].total is not an amount")]
    [InlineData("{\"id\": 5, \"currency\": \"PLN\", \"date_modified_gmt\": \"2026-03-20T10:00:00\", \"line_items\": [{\"sku\": \"X\", \"quantity\": 0, \"total\": \"1\"}]}", "line_items[0].quantity must be positive")]
    [InlineData("{\"id\": 5, \"currency\": \"PLN\", \"line_items\": [{\"sku\": \"X\", \"quantity\": 1, \"total\": \"1\"}]}", "date_modified_gmt is missing")]
    public async Task A_signed_but_malformed_body_is_400_with_the_reason_and_kept_in_the_integration_log(string body, string reason)
    {
        var (_, channelId, _, _) = await WooSetupAsync();

        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", body, Secret);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, answer!["errors"]!["body"]![0]!.GetValue<string>());
        var logged = await app.QueryAsync(db => db.IntegrationLog.Where(e => e.ChannelId == channelId).ToListAsync());
        var entry = Assert.Single(logged);
        Assert.Equal((Kontor.Commerce.IntegrationStatus.Rejected, body), (entry.Status, entry.Payload));
        Assert.Contains(reason, entry.Error);
        Assert.Equal(0, await app.QueryAsync(db => db.Orders.CountAsync(o => o.ChannelId == channelId)));
    }

    [Fact]
    public async Task A_paid_WooCommerce_order_creates_the_customer_the_order_the_issued_invoice_and_the_payment_and_the_books_balance()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var id = UniqueId();
        var email = $"anna{id}@example.com";

        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, czajnik, email).ToJsonString(), Secret);

        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        var order = await admin.GetOkAsync($"/api/orders/{answer.Str("orderId")}");
        // Net prices from the shop: 2 × 45.00 (100.00 less the 10.00 coupon) + 100.00 + shipping 15.00 = 205.00; VAT 23% = 47.15; gross 252.15 as WooCommerce's total.
        Assert.Equal((205.00m, 47.15m, 252.15m), (order.Amount("totalNet"), order.Amount("totalVat"), order.Amount("totalGross")));
        var lines = order.Arr("lines").Select(l => (l.Str("description"), l!["quantity"]!.GetValue<decimal>(), l!["unitPrice"]!.GetValue<decimal>())).ToList();
        Assert.Equal([("Kubek ceramiczny", 2m, 45.00m), ("Czajnik stalowy", 1m, 100.00m), ("Dostawa / Shipping", 1m, 15.00m)], lines);
        var party = await admin.GetOkAsync($"/api/parties/{order.Str("partyId")}");
        Assert.Equal(("Person", "Anna Nowak", email), (party.Str("kind"), party.Str("name"), party.Str("email")));

        var invoice = await admin.GetOkAsync($"/api/invoices/{order.Str("invoiceId")}");
        Assert.Equal(("Issued", 252.15m), (invoice.Str("status"), invoice.Amount("totalGross")));
        var invoiceId = Guid.Parse(order.Str("invoiceId"));
        var partyId = Guid.Parse(order.Str("partyId"));
        var (postings, payments) = await app.QueryAsync(async db => (
            await db.JournalLines.Where(l => l.PartyId == partyId || db.JournalEntries.Any(e => e.Id == l.EntryId && e.SourceId == invoiceId))
                .Select(l => new { l.AccountCode, l.Debit, l.Credit }).ToListAsync(),
            await db.Payments.Where(p => p.PartyId == partyId).Select(p => p.Amount).ToListAsync()));
        Assert.Equal([252.15m], payments);
        var byAccount = postings.GroupBy(p => p.AccountCode[..3]).ToDictionary(g => g.Key, g => (g.Sum(p => p.Debit), g.Sum(p => p.Credit)));
        Assert.Equal((252.15m, 252.15m), byAccount["201"]);   // invoiced and paid: nothing left owing
        Assert.Equal((0m, 205.00m), byAccount["700"]);
        Assert.Equal((0m, 47.15m), byAccount["221"]);
        var overview = await admin.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(0m, overview.Amount("balance"));
    }

    [Fact]
    public async Task The_same_order_delivered_three_times_at_once_becomes_one_order_one_customer_one_invoice_one_payment()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        // 10 mugs in stock; the order takes 2 mugs and 1 kettle (none in stock: backordered).
        var kubekId = await app.QueryAsync(db => db.Products.Where(p => p.Sku == kubek).Select(p => p.Id).SingleAsync());
        var receipt = await admin.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", lines = new[] { new { productId = kubekId, quantity = "10", unitCost = "4.00" } } });
        await admin.PostOkAsync($"/api/stock-documents/{receipt.Id()}/post");
        var id = UniqueId();
        var email = $"burst{id}@example.com";
        var body = WooOrder(id, kubek, czajnik, email).ToJsonString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DeliverAsync(app.CreateClient(), channelId, "woocommerce", body, Secret)));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{a.Status} {a.Body?.ToJsonString()}"));
        Assert.Single(answers.Select(a => a.Body.Str("orderId")).Distinct());
        Assert.Equal(["Created", "Duplicate", "Duplicate"], answers.Select(a => a.Body.Str("outcome")).Order());
        var counts = await app.QueryAsync(async db =>
        {
            var partyIds = await db.Parties.Where(p => p.Email == email).Select(p => p.Id).ToListAsync();
            return (Orders: await db.Orders.CountAsync(o => o.ChannelId == channelId), Parties: partyIds.Count,
                Invoices: await db.Invoices.CountAsync(i => partyIds.Contains(i.PartyId)), Payments: await db.Payments.CountAsync(p => partyIds.Contains(p.PartyId)));
        });
        Assert.Equal((1, 1, 1, 1), counts);
        // One reservation per goods line of the one order: the mugs reserved, the kettle backordered.
        var orderId = Guid.Parse(answers[0].Body.Str("orderId"));
        var reservations = await app.QueryAsync(db => db.StockReservations.Where(r => r.OrderId == orderId)
            .Join(db.Products, r => r.ProductId, p => p.Id, (r, p) => new { p.Sku, r.Ordered, r.Reserved }).ToListAsync());
        Assert.Equal(2, reservations.Count);
        Assert.Equal((2m, 2m), reservations.Where(r => r.Sku == kubek).Select(r => (r.Ordered, r.Reserved)).Single());
        Assert.Equal((1m, 0m), reservations.Where(r => r.Sku == czajnik).Select(r => (r.Ordered, r.Reserved)).Single());
        var level = (await admin.GetOkAsync($"/api/stock?productId={kubekId}")).Arr("rows").Single()!;
        Assert.Equal((10m, 2m, 8m), (level["onHand"]!.GetValue<decimal>(), level["reserved"]!.GetValue<decimal>(), level["available"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task The_same_paid_update_delivered_three_times_at_once_invoices_once_and_every_delivery_gets_200()
    {
        // Found by the crash test (CrashSafetyTests): the losers of a race on the existing order got 409 (a concurrency
        // conflict on the order's version), which a shop counts as a failed webhook. They must answer like a late duplicate.
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var id = UniqueId();
        var email = $"paidrace{id}@example.com";
        var created = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce",
            WooOrder(id, kubek, czajnik, email, "2026-03-20T10:00:00", paid: false, status: "pending").ToJsonString(), Secret);
        Assert.Equal("Created", created.Body.Str("outcome"));
        var paid = WooOrder(id, kubek, czajnik, email, "2026-03-20T10:05:00").ToJsonString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DeliverAsync(app.CreateClient(), channelId, "woocommerce", paid, Secret)));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{a.Status} {a.Body?.ToJsonString()}"));
        Assert.Equal(["Duplicate", "Duplicate", "Updated"], answers.Select(a => a.Body.Str("outcome")).Order());
        var order = await admin.GetOkAsync($"/api/orders/{created.Body.Str("orderId")}");
        var partyId = Guid.Parse(order.Str("partyId"));
        var counts = await app.QueryAsync(async db => (await db.Invoices.CountAsync(i => i.PartyId == partyId), await db.Payments.CountAsync(p => p.PartyId == partyId)));
        Assert.Equal((1, 1), counts);
        Assert.Equal(("Issued", 252.15m), ((await admin.GetOkAsync($"/api/invoices/{order.Str("invoiceId")}")).Str("status"), (await admin.GetOkAsync($"/api/invoices/{order.Str("invoiceId")}")).Amount("totalGross")));
    }

    [Fact]
    public async Task Updates_apply_in_the_shops_modification_order_and_an_older_delivery_is_ignored()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var id = UniqueId();
        var email = $"late{id}@example.com";
        var anonymous = app.AnonymousClient();
        async Task<JsonNode> Deliver(string modified, string status) =>
            (await DeliverAsync(anonymous, channelId, "woocommerce", WooOrder(id, kubek, czajnik, email, modified, paid: false, status).ToJsonString(), Secret)).Body!;

        var created = await Deliver("2026-03-20T10:00:00", "pending");
        var onHold = await Deliver("2026-03-20T10:20:00", "on-hold");
        var olderCancel = await Deliver("2026-03-20T10:10:00", "cancelled");
        var orderId = created.Str("orderId");
        var afterStale = await admin.GetOkAsync($"/api/orders/{orderId}");
        var cancel = await Deliver("2026-03-20T10:30:00", "cancelled");
        var afterCancel = await admin.GetOkAsync($"/api/orders/{orderId}");

        Assert.Equal(["Created", "Updated", "Stale", "Updated"], new[] { created, onHold, olderCancel, cancel }.Select(a => a.Str("outcome")));
        Assert.Equal(("Accepted", "Cancelled"), (afterStale.Str("status"), afterCancel.Str("status")));
        var stored = await app.QueryAsync(db => db.Orders.Where(o => o.Id == Guid.Parse(orderId)).Select(o => new { o.ExternalStatus, o.ExternalModifiedAt }).SingleAsync());
        Assert.Equal(("cancelled", new DateTimeOffset(2026, 3, 20, 10, 30, 0, TimeSpan.Zero)), (stored.ExternalStatus, stored.ExternalModifiedAt));
        Assert.Equal(1, await OrdersOfAsync(channelId, id));
    }

    [Fact]
    public async Task An_order_with_many_long_unknown_SKUs_is_held_whole_its_reason_shortened_and_every_SKU_kept()
    {
        // 40 lines of 60-character SKUs make a reason of ~2,600 characters: more than the column holds (PostgreSQL refuses it).
        var (admin, channelId, kubek, _) = await WooSetupAsync();
        var id = UniqueId();
        var order = WooOrder(id, kubek, kubek, $"long{id}@example.com");
        var lines = order["line_items"]!.AsArray();
        var template = lines[1]!.DeepClone();
        lines.RemoveAt(1);
        var missing = Enumerable.Range(0, 40).Select(i => $"LONG-{id}-{i:D2}-".PadRight(60, 'X')).ToList();
        for (var i = 0; i < missing.Count; i++)
        {
            var line = template.DeepClone();
            line["id"] = 9000 + i;
            line["sku"] = missing[i];
            lines.Add(line);
        }

        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", order.ToJsonString(), Secret);

        Assert.True(status == HttpStatusCode.Accepted, $"{status} {answer?.ToJsonString()}");
        var hold = await app.QueryAsync(db => db.HeldShopOrders.AsNoTracking().SingleAsync(h => h.ChannelId == channelId && h.ExternalOrderId == id));
        Assert.Equal(HoldKind.UnknownSku, hold.Kind);
        Assert.Equal(missing.Order(), hold.UnknownSkus!.Order());   // the data is whole; only the text is shortened
        Assert.InRange(hold.Reason.Length, 1000, HeldShopOrder.MaxReasonLength);
        Assert.EndsWith("…", hold.Reason);
        var logged = await app.QueryAsync(db => db.IntegrationLog.AsNoTracking().Where(e => e.ChannelId == channelId && e.ExternalId == id).Select(e => e.Response).SingleAsync());
        Assert.Contains(missing[^1], logged);   // the log keeps the whole text
    }

    [Fact]
    public async Task An_unknown_SKU_holds_the_order_in_the_exceptions_queue_and_a_retry_after_creating_the_product_creates_it()
    {
        var (admin, channelId, kubek, _) = await WooSetupAsync();
        var missing = Sku();
        var id = UniqueId();

        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, missing, $"held{id}@example.com").ToJsonString(), Secret);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("Held", answer.Str("outcome"));
        Assert.Equal(0, await OrdersOfAsync(channelId, id));
        var held = (await admin.GetOkAsync("/api/integrations/held?status=Open")).AsArray().Single(h => h.Str("externalOrderId") == id)!;
        Assert.Contains(missing, held.Str("reason"));

        // Retrying before the product exists keeps it held; after it is created the order goes through.
        Assert.Equal("Held", (await admin.PostOkAsync($"/api/integrations/held/{held.Id()}/retry")).Str("outcome"));
        await CreateProductAsync(admin, missing);
        var retried = await admin.PostOkAsync($"/api/integrations/held/{held.Id()}/retry");

        Assert.Equal("Created", retried.Str("outcome"));
        Assert.Equal(1, await OrdersOfAsync(channelId, id));
        var resolved = (await admin.GetOkAsync("/api/integrations/held?status=Resolved")).AsArray().Single(h => h.Str("externalOrderId") == id);
        Assert.Equal(retried.Str("orderId"), resolved.Str("orderId"));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(HttpMethod.Post, $"/api/integrations/held/{held.Id()}/retry")).Status);
    }

    [Fact]
    public async Task A_shops_own_SKU_mapped_to_a_product_takes_the_held_order_and_every_later_one_until_the_mapping_is_removed()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var czajnikId = await app.QueryAsync(db => db.Products.Where(p => p.Sku == czajnik).Select(p => p.Id).SingleAsync());
        // The shop sells the kettle under its own code, written its own way.
        var shopSku = "czajnik-sklep-" + UniqueId();
        var id = UniqueId();
        var (status, _) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, shopSku, $"map{id}@example.com").ToJsonString(), Secret);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var held = (await admin.GetOkAsync("/api/integrations/held?status=Open")).AsArray().Single(h => h.Str("externalOrderId") == id)!;

        // What to map: the one unknown SKU, as SKUs are kept (upper case), with the shop's line name and quantity.
        var unknown = Assert.Single((await admin.GetOkAsync($"/api/integrations/held/{held.Id()}/unknown-skus")).AsArray())!;
        Assert.Equal((shopSku.ToUpperInvariant(), 1m), (unknown.Str("sku"), unknown["quantity"]!.GetValue<decimal>()));

        // Refusals name the field and map nothing: no mappings, a mapping without a product, a product's own SKU for another product.
        var (noMappings, noMappingsProblem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/integrations/held/{held.Id()}/map-skus", new { mappings = Array.Empty<object>() });
        var (noProduct, noProductProblem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/integrations/held/{held.Id()}/map-skus", new { mappings = new[] { new { sku = shopSku } } });
        var (noSuchProduct, noSuchProductProblem, _) = await admin.SendAsync(HttpMethod.Post, $"/api/integrations/held/{held.Id()}/map-skus", new { mappings = new[] { new { sku = shopSku, productSku = "NO-SUCH-" + shopSku } } });
        var (ownSku, ownSkuProblem, _) = await admin.SendAsync(HttpMethod.Post, "/api/integrations/sku-mappings", new { sku = kubek, productId = czajnikId });
        var (bothNamed, bothNamedProblem, _) = await admin.SendAsync(HttpMethod.Post, "/api/integrations/sku-mappings", new { sku = "x" + shopSku, productId = czajnikId, productSku = czajnik });
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.Conflict, HttpStatusCode.BadRequest),
            (noMappings, noProduct, noSuchProduct, ownSku, bothNamed));
        Assert.NotNull(noMappingsProblem!["errors"]!["mappings"]);
        Assert.NotNull(noProductProblem!["errors"]!["mappings[0].productSku"]);
        Assert.Contains("NO-SUCH-", noSuchProductProblem!["errors"]!["mappings[0].productSku"]![0]!.GetValue<string>());
        Assert.Contains(kubek, ownSkuProblem.Str("detail"));
        Assert.NotNull(bothNamedProblem!["errors"]!["productSku"]);
        Assert.Equal(0, await app.QueryAsync(db => db.ProductSkuAliases.CountAsync(a => a.ProductId == czajnikId)));

        // The product is named by its own SKU, as a person or an integrator knows it (any case).
        var mapped = await admin.PostOkAsync($"/api/integrations/held/{held.Id()}/map-skus", new { mappings = new[] { new { sku = shopSku, productSku = czajnik.ToLowerInvariant() } } });
        Assert.Equal("Created", mapped.Str("outcome"));
        var order = await admin.GetOkAsync($"/api/orders/{mapped.Str("orderId")}");
        Assert.Single(order.Arr("lines"), l => l!["productId"]?.GetValue<string>() == czajnikId.ToString());

        // Later orders with the shop's SKU go straight through; the mapping is listed under the product.
        var next = UniqueId();
        var (nextStatus, nextAnswer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(next, kubek, "  " + shopSku + " ", $"map{next}@example.com").ToJsonString(), Secret);
        Assert.Equal((HttpStatusCode.OK, "Created"), (nextStatus, nextAnswer.Str("outcome")));
        var mapping = Assert.Single((await admin.GetOkAsync($"/api/integrations/sku-mappings?productId={czajnikId}")).AsArray())!;
        Assert.Equal((shopSku.ToUpperInvariant(), czajnik), (mapping.Str("sku"), mapping.Str("productSku")));

        // A product may not take a mapped SKU as its own (it would silently take the shop's lines).
        var (taken, _, _) = await admin.SendAsync(HttpMethod.Post, "/api/products", new { sku = shopSku, name = "Inny czajnik", kind = "Goods", unit = "szt.", netPrice = new { amount = "10.00", currency = "PLN" }, vatRateCode = "23" });
        Assert.Equal(HttpStatusCode.Conflict, taken);

        // Without the mapping the shop's SKU is unknown again.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, $"/api/integrations/sku-mappings/{mapping.Id()}")).Status);
        var third = UniqueId();
        var (thirdStatus, thirdAnswer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(third, kubek, shopSku, $"map{third}@example.com").ToJsonString(), Secret);
        Assert.Equal((HttpStatusCode.Accepted, "Held"), (thirdStatus, thirdAnswer.Str("outcome")));

        // Mapped again on the mappings list by the product's SKU, the held order goes through on its retry.
        var again = await admin.PostCreatedAsync("/api/integrations/sku-mappings", new { sku = shopSku, productSku = czajnik });
        Assert.Equal((shopSku.ToUpperInvariant(), czajnikId.ToString()), (again.Str("sku"), again.Str("productId")));
        var thirdHeld = (await admin.GetOkAsync("/api/integrations/held?status=Open")).AsArray().Single(h => h.Str("externalOrderId") == third)!;
        Assert.Equal("Created", (await admin.PostOkAsync($"/api/integrations/held/{thirdHeld.Id()}/retry")).Str("outcome"));
    }

    [Fact]
    public async Task Orders_held_for_unknown_SKUs_go_through_by_themselves_once_every_SKU_names_a_product_and_no_sooner()
    {
        var (admin, channelId, kubek, _) = await WooSetupAsync();
        var round = app.Services.GetRequiredService<HeldOrderRetryRound>();
        var (later, never) = (Sku(), Sku());
        var (one, other, noSku) = (UniqueId(), UniqueId(), UniqueId());
        foreach (var (id, second) in new[] { (one, later), (other, never), (noSku, "") })
            Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, second, $"auto{id}@example.com").ToJsonString(), Secret)).Status);
        Task<HeldShopOrder> HoldAsync(string id) => app.QueryAsync(db => db.HeldShopOrders.SingleAsync(h => h.ChannelId == channelId && h.ExternalOrderId == id));
        var attemptsBefore = (await HoldAsync(other)).Attempts;


        // Nothing changed: nothing of this channel is retried (a retry would count an attempt and log a hold again).
        await round.RetryResolvableAsync();
        Assert.Equal((0, 1), (await OrdersOfAsync(channelId, one), (await HoldAsync(one)).Attempts));

        await CreateProductAsync(admin, later);
        var results = await round.RetryResolvableAsync();

        // The order whose SKUs now all name products went through; the others wait — a SKU still unknown, a line without a SKU.
        Assert.Equal(1, await OrdersOfAsync(channelId, one));
        var orderId = await app.QueryAsync(db => db.Orders.Where(o => o.ChannelId == channelId && o.ExternalOrderId == one).Select(o => o.Id).SingleAsync());
        Assert.Contains(results, r => r.Outcome == IngestOutcome.Created && r.OrderId == orderId);
        Assert.Equal(orderId, (await HoldAsync(one)).OrderId);
        Assert.Equal((HoldStatus.Resolved, HoldStatus.Open, HoldStatus.Open), ((await HoldAsync(one)).Status, (await HoldAsync(other)).Status, (await HoldAsync(noSku)).Status));
        Assert.Equal((attemptsBefore, 1), ((await HoldAsync(other)).Attempts, (await HoldAsync(noSku)).Attempts));
        Assert.Equal(0, await OrdersOfAsync(channelId, other) + await OrdersOfAsync(channelId, noSku));
    }

    [Fact]
    public async Task A_hold_keeps_why_as_data_the_unknown_SKUs_of_the_payload_it_keeps_and_a_refusal_as_refused()
    {
        var (admin, channelId, kubek, _) = await WooSetupAsync();
        var (first, second, older) = (Sku(), Sku(), Sku());
        var id = UniqueId();
        Task<HeldShopOrder> HoldAsync() => app.QueryAsync(db => db.HeldShopOrders.AsNoTracking().SingleAsync(h => h.ChannelId == channelId && h.ExternalOrderId == id));
        async Task SendAsync(string kubekSku, string czajnikSku, string modified, string? currency = null)
        {
            var order = WooOrder(id, kubekSku, czajnikSku, $"kinds{id}@example.com", modified);
            if (currency is not null) order["currency"] = currency;
            var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", order.ToJsonString(), Secret);
            Assert.True(status == HttpStatusCode.Accepted, $"{status} {answer?.ToJsonString()}");
        }

        // Held for a SKU the shop wrote its own way: kept as SKUs are kept (trimmed, upper case).
        await SendAsync(kubek, "  " + first.ToLowerInvariant() + " ", "2026-03-20T10:02:14");
        var hold = await HoldAsync();
        Assert.Equal((HoldKind.UnknownSku, first), (hold.Kind, string.Join(",", hold.UnknownSkus!)));
        var listed = (await admin.GetOkAsync("/api/integrations/held?status=Open")).AsArray().Single(h => h.Str("externalOrderId") == id)!;
        Assert.Equal(("UnknownSku", first), (listed.Str("kind"), Assert.Single(listed.Arr("unknownSkus"))!.GetValue<string>()));
        Assert.StartsWith(ShopOrderIngestion.UnknownSkuReason, listed.Str("reason"));

        // A newer delivery with other SKUs (and a line without one: "") is what the hold keeps now.
        await SendAsync(second, "", "2026-03-20T11:00:00");
        hold = await HoldAsync();
        Assert.Equal((HoldKind.UnknownSku, 2), (hold.Kind, hold.Attempts));
        Assert.Equal([second, ""], hold.UnknownSkus!);

        // An older delivery arriving late counts its attempt, but the kept payload (the one a retry takes) still names these SKUs.
        await SendAsync(kubek, older, "2026-03-20T10:30:00");
        hold = await HoldAsync();
        Assert.Equal(3, hold.Attempts);
        Assert.Equal([second, ""], hold.UnknownSkus!);
        Assert.DoesNotContain(older, hold.Reason);

        // Once the SKUs are products, the next delivery is refused (a paid order in CHF, which has no exchange rate): Refused, no SKUs.
        await CreateProductAsync(admin, second);
        await CreateProductAsync(admin, first);
        await SendAsync(kubek, first, "2026-03-20T12:00:00", currency: "CHF");
        hold = await HoldAsync();
        Assert.Equal((HoldKind.Refused, (IReadOnlyList<string>?)null, HoldStatus.Open), (hold.Kind, hold.UnknownSkus, hold.Status));
        Assert.StartsWith(ShopOrderIngestion.RefusedReason, hold.Reason);
        Assert.Contains("CHF", ShopOrderIngestion.RefusalDetail(hold));
        listed = (await admin.GetOkAsync("/api/integrations/held?status=Open")).AsArray().Single(h => h.Str("externalOrderId") == id)!;
        Assert.Equal("Refused", listed.Str("kind"));
        Assert.Null(listed["unknownSkus"]);

        // A refused order waits for a person: the automatic retry does not take it, though every SKU names a product now.
        await app.Services.GetRequiredService<HeldOrderRetryRound>().RetryResolvableAsync();
        Assert.Equal((HoldStatus.Open, 4), ((await HoldAsync()).Status, (await HoldAsync()).Attempts));
    }

    [Fact]
    public async Task A_retry_round_in_which_nothing_was_created_or_mapped_reads_no_held_payload_and_then_takes_exactly_the_orders_whose_SKUs_name_products()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var round = app.Services.GetRequiredService<HeldOrderRetryRound>();
        // Holds other tests of this database left resolvable are taken now, not in the rounds measured below.
        await round.RetryResolvableAsync();
        var (created, shopSku, never) = (Sku(), "sklep-" + Sku(), Sku());
        var (byProduct, byMapping, waiting) = (UniqueId(), UniqueId(), UniqueId());
        foreach (var (id, sku) in new[] { (byProduct, created), (byMapping, shopSku), (waiting, never) })
            Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, sku, $"round{id}@example.com").ToJsonString(), Secret)).Status);
        Task<HeldShopOrder> HoldAsync(string id) => app.QueryAsync(db => db.HeldShopOrders.AsNoTracking().SingleAsync(h => h.ChannelId == channelId && h.ExternalOrderId == id));

        using (var counter = await DatabaseCommandCounter.StartAsync(app))
        {
            Assert.Empty(await round.RetryResolvableAsync());
            // The holds once, their SKUs once (products, then mappings): no hold's channel or payload is read, nothing is written.
            Assert.True(counter.Texts.Count <= 3, string.Join("\n---\n", counter.Texts));
            Assert.Equal((1, 0), (counter.Reading("HeldShopOrders"), counter.Reading("SalesChannels")));
        }
        Assert.Equal((1, 1, 1), ((await HoldAsync(byProduct)).Attempts, (await HoldAsync(byMapping)).Attempts, (await HoldAsync(waiting)).Attempts));

        // One SKU becomes a product, the shop's own SKU is mapped to the kettle: those two orders, and only those, are taken.
        await CreateProductAsync(admin, created);
        await admin.PostCreatedAsync("/api/integrations/sku-mappings", new { sku = shopSku, productSku = czajnik });
        var results = await round.RetryResolvableAsync();

        var orders = await app.QueryAsync(db => db.Orders.Where(o => o.ChannelId == channelId).Select(o => new { o.Id, o.ExternalOrderId }).ToListAsync());
        Assert.Equal(new[] { byMapping, byProduct }.Order(), orders.Select(o => o.ExternalOrderId!).Order());
        Assert.Equal(orders.Select(o => o.Id).Order(), results.Where(r => r.Outcome == IngestOutcome.Created).Select(r => r.OrderId!.Value).Order());
        Assert.Equal((HoldStatus.Resolved, HoldStatus.Resolved, HoldStatus.Open), ((await HoldAsync(byProduct)).Status, (await HoldAsync(byMapping)).Status, (await HoldAsync(waiting)).Status));
        Assert.Equal((1, never), ((await HoldAsync(waiting)).Attempts, string.Join(",", (await HoldAsync(waiting)).UnknownSkus!)));
    }

    [Fact]
    public async Task Holds_from_before_the_kinds_get_theirs_from_the_migration_and_their_SKUs_from_the_first_retry_round_which_takes_the_resolvable_ones()
    {
        var (admin, channelId, kubek, _) = await WooSetupAsync();
        var round = app.Services.GetRequiredService<HeldOrderRetryRound>();
        await round.RetryResolvableAsync();
        var (later, never) = (Sku(), Sku());
        var (resolvable, waiting, refused) = (UniqueId(), UniqueId(), UniqueId());
        foreach (var (id, sku) in new[] { (resolvable, later), (waiting, never) })
            Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(id, kubek, sku, $"old{id}@example.com").ToJsonString(), Secret)).Status);
        var chf = WooOrder(refused, kubek, kubek, $"old{refused}@example.com");
        chf["currency"] = "CHF";
        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", chf.ToJsonString(), Secret)).Status);
        Task<HeldShopOrder> HoldAsync(string id) => app.QueryAsync(db => db.HeldShopOrders.AsNoTracking().SingleAsync(h => h.ChannelId == channelId && h.ExternalOrderId == id));
        var ids = new[] { resolvable, waiting, refused };

        // As the migration finds them: every row Refused (the new column's default) without SKUs, then its SQL on this database.
        await app.QueryAsync(db => db.HeldShopOrders.Where(h => h.ChannelId == channelId && ids.Contains(h.ExternalOrderId))
            .ExecuteUpdateAsync(u => u.SetProperty(h => h.Kind, HoldKind.Refused).SetProperty(h => h.UnknownSkus, (IReadOnlyList<string>?)null)));
        var migration = new Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder(null);
        Kontor.Persistence.Migrations.DataMigrations.BackfillHoldKinds(migration);
        var sql = Assert.IsType<Microsoft.EntityFrameworkCore.Migrations.Operations.SqlOperation>(Assert.Single(migration.Operations)).Sql;
        await app.QueryAsync(db => db.Database.ExecuteSqlRawAsync(sql));
        Assert.Equal((HoldKind.UnknownSku, HoldKind.UnknownSku, HoldKind.Refused), ((await HoldAsync(resolvable)).Kind, (await HoldAsync(waiting)).Kind, (await HoldAsync(refused)).Kind));
        Assert.Null((await HoldAsync(waiting)).UnknownSkus);

        // The first round reads their payloads: the one whose SKUs now name products is taken, the other keeps its SKUs.
        await CreateProductAsync(admin, later);
        var results = await round.RetryResolvableAsync();
        var orderId = await app.QueryAsync(db => db.Orders.Where(o => o.ChannelId == channelId && o.ExternalOrderId == resolvable).Select(o => o.Id).SingleAsync());
        Assert.Contains(results, r => r.Outcome == IngestOutcome.Created && r.OrderId == orderId);
        Assert.Equal((HoldStatus.Resolved, HoldStatus.Open, HoldStatus.Open), ((await HoldAsync(resolvable)).Status, (await HoldAsync(waiting)).Status, (await HoldAsync(refused)).Status));
        Assert.Equal((1, never), ((await HoldAsync(waiting)).Attempts, string.Join(",", (await HoldAsync(waiting)).UnknownSkus!)));

        // So the next round needs no payload again.
        using var counter = await DatabaseCommandCounter.StartAsync(app);
        await round.RetryResolvableAsync();
        Assert.Equal(0, counter.Reading("SalesChannels"));
    }

    [Fact]
    public async Task A_held_order_delivered_three_times_at_once_is_held_once()
    {
        var (admin, channelId, kubek, _) = await WooSetupAsync();
        var id = UniqueId();
        var body = WooOrder(id, kubek, Sku(), $"heldburst{id}@example.com").ToJsonString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DeliverAsync(app.CreateClient(), channelId, "woocommerce", body, Secret)));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Accepted, $"{a.Status} {a.Body?.ToJsonString()}"));
        var holds = await app.QueryAsync(db => db.HeldShopOrders.Where(h => h.ChannelId == channelId).Select(h => new { h.ExternalOrderId, h.Attempts }).ToListAsync());
        Assert.Equal((id, 3), (Assert.Single(holds).ExternalOrderId, holds[0].Attempts));
        Assert.Equal(0, await OrdersOfAsync(channelId, id));
    }

    [Fact]
    public async Task A_Shopify_order_is_taken_gross_in_its_currency_and_the_next_order_of_the_same_email_finds_the_same_customer()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "Shopify", Secret, "Gross", "Never");
        var sku = Sku();
        await CreateProductAsync(admin, sku);
        var email = $"jan{UniqueId()}@example.com";
        JsonObject Order(string id)
        {
            var order = Load("shopify-order.json");
            order["id"] = long.Parse(id);
            order["email"] = email;
            order["line_items"]![0]!["sku"] = sku;
            return order;
        }

        var first = await DeliverAsync(app.AnonymousClient(), channelId, "shopify", Order(UniqueId()).ToJsonString(), Secret);
        var second = await DeliverAsync(app.AnonymousClient(), channelId, "shopify", Order(UniqueId()).ToJsonString(), Secret);

        Assert.True(first.Status == HttpStatusCode.OK, $"{first.Status} {first.Body?.ToJsonString()}");
        var order = await admin.GetOkAsync($"/api/orders/{first.Body.Str("orderId")}");
        // Gross, as the shop shows it: 131.00 − 10.00 discount + 10.00 shipping = 131.00 EUR; VAT extracted 131 × 23/123 = 24.50.
        Assert.Equal(("EUR", "Gross", 131.00m, 24.50m), (order.Str("currency"), order.Str("pricingMode"), order.Amount("totalGross"), order.Amount("totalVat")));
        var secondOrder = await admin.GetOkAsync($"/api/orders/{second.Body.Str("orderId")}");
        Assert.Equal(order.Str("partyId"), secondOrder.Str("partyId"));
        Assert.Null(order["invoiceId"]?.GetValue<string>());   // InvoiceMoment Never
    }

    [Fact]
    public async Task A_paid_order_in_a_currency_without_an_exchange_rate_is_held_with_the_reason_and_nothing_is_written()
    {
        app.Clock.SetDate(new DateOnly(2026, 3, 20));
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "Shopify", Secret, "Gross", "OnPayment");
        var sku = Sku();
        await CreateProductAsync(admin, sku);
        var order = Load("shopify-order.json");
        var id = UniqueId();
        order["id"] = long.Parse(id);
        order["currency"] = "CHF";   // no CHF rate is ever imported in these tests
        order["email"] = $"chf{id}@example.com";
        order["line_items"]![0]!["sku"] = sku;

        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "shopify", order.ToJsonString(), Secret);

        Assert.True(status == HttpStatusCode.Accepted, $"{status} {answer?.ToJsonString()}");
        Assert.Contains("CHF", answer.Str("message"));
        Assert.Equal(0, await OrdersOfAsync(channelId, id));
        Assert.Equal(0, await app.QueryAsync(db => db.Parties.CountAsync(p => p.Email == $"chf{id}@example.com")));
    }

    [Fact]
    public async Task A_generic_order_with_a_company_and_VAT_id_creates_a_company_customer()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "Generic", Secret, "Net", "Never");
        var sku = Sku();
        await CreateProductAsync(admin, sku);
        var order = Load("generic-order.json");
        var nip = Builders.UniqueNip();
        order["id"] = "B2B-" + UniqueId();
        order["customer"]!["vatId"] = nip;
        order["customer"]!["email"] = $"b2b{UniqueId()}@example.com";
        // Another test's company has the sample's phone: matching by phone (the channel's third key) would find it.
        order["customer"]!["phone"] = "+48 5" + UniqueId().PadLeft(8, '0')[^8..];
        order["lines"]![0]!["sku"] = sku;

        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "generic", order.ToJsonString(), Secret, app.Clock.GetUtcNow());

        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        var created = await admin.GetOkAsync($"/api/orders/{answer.Str("orderId")}");
        // 10 × 40.00 − 20.00 discount = 380.00 + 25.00 shipping = 405.00 net.
        Assert.Equal(405.00m, created.Amount("totalNet"));
        var party = await admin.GetOkAsync($"/api/parties/{created.Str("partyId")}");
        Assert.Equal(("Company", "Hurtownia Beta Sp. z o.o.", nip), (party.Str("kind"), party.Str("name"), party.Str("taxId")));
    }

    [Fact]
    public async Task Channels_show_their_secrets_masked_and_only_admins_and_managers_manage_them()
    {
        var (admin, channelId, _, _) = await WooSetupAsync();
        var channel = await admin.GetOkAsync($"/api/channels/{channelId}");
        Assert.Equal("••••cdef", channel.Str("secretMasked"));
        Assert.DoesNotContain(Secret, channel.ToJsonString());
        Assert.Equal($"/api/webhooks/{channelId}/woocommerce", channel.Str("webhookPath"));
        var sales = await app.ClientAsync(Roles.Sales);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Get, "/api/channels")).Status);
        var (status, body, _) = await admin.SendAsync(HttpMethod.Post, "/api/channels", new { name = "", type = "WooCommerce", secret = "short", invoiceMoment = "OnPayment", priceMode = "Net" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]!["name"]);
        Assert.NotNull(body["errors"]!["secret"]);
    }
}

public sealed class SqliteShopWebhookTests(SqliteApp app) : ShopWebhookTests<SqliteApp>(app);

public sealed class PostgresShopWebhookTests(PostgresApp app) : ShopWebhookTests<PostgresApp>(app);
