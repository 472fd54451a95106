using System.ComponentModel;
using Kontor.Catalog;
using Kontor.Commerce;
using Kontor.Common;
using Kontor.Outbox;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record SalesChannelRequest(string? Name, ChannelType Type, string? Secret, string? BaseAddress, string? ApiKey, string? ApiSecret,
    InvoiceMoment InvoiceMoment, string? DefaultWarehouseCode, IReadOnlyList<CustomerMatchKey>? CustomerMatching, bool CreateCompanyForVatId,
    PricingMode PriceMode, string? ShopLocationId, bool IsActive = true, bool RestockOnRefund = true)
{
    public SaveSalesChannel ToCommand() => new(Name, Type, Secret, BaseAddress, ApiKey, ApiSecret, InvoiceMoment, DefaultWarehouseCode,
        CustomerMatching, CreateCompanyForVatId, PriceMode, ShopLocationId, IsActive, RestockOnRefund);
}

/// <summary>Optional body of the manual pull: <c>since</c> replaces the watermark for this pull.</summary>
public sealed record PullOrdersRequest(DateTimeOffset? Since);

[Description("A shop's SKU for a product of the catalogue: order lines with that SKU are the product (docs/commerce.md \"Mapping a shop's SKU\").")]
public sealed record SkuMappingRequest(string? Sku, Guid? ProductId, string? ProductSku = null);

[Description("Map the held order's unknown SKUs to products and take the order again.")]
public sealed record MapSkusRequest(IReadOnlyList<SkuMapping>? Mappings);

/// <summary>A channel as shown: the secret and API secret masked; <c>webhookPath</c> is the address to paste into the shop (after Kontor's own address).</summary>
public sealed record SalesChannelDto(Guid Id, string Name, ChannelType Type, string SecretMasked, string? BaseAddress, string? ApiKey, string ApiSecretMasked,
    InvoiceMoment InvoiceMoment, string? DefaultWarehouseCode, IReadOnlyList<CustomerMatchKey> CustomerMatching, bool CreateCompanyForVatId,
    PricingMode PriceMode, string? ShopLocationId, bool IsActive, string WebhookPath, Guid Version, bool RestockOnRefund, DateTimeOffset? OrdersPulledUntil)
{
    public static SalesChannelDto From(SalesChannel c, ChannelSecrets secrets) => new(c.Id, c.Name, c.Type, secrets.Mask(c.Secret), c.BaseAddress, c.ApiKey, secrets.Mask(c.ApiSecret),
        c.InvoiceMoment, c.DefaultWarehouseCode, c.MatchingOrder(), c.CreateCompanyForVatId, c.PriceMode, c.ShopLocationId, c.IsActive,
        CommerceEndpoints.WebhookPath(c), c.Version, c.RestockOnRefund, c.OrdersPulledUntil);
}

/// <summary>Sales channels, the shops' order webhooks (anonymous, signed), the exceptions queue, integration log and outbox.</summary>
public static class CommerceEndpoints
{
    /// <summary>Bodies above this are refused before they are read whole (a shop order is a few kilobytes).</summary>
    public const int MaxWebhookBytes = 1 << 20;

    public static string WebhookPath(SalesChannel c) => $"/api/webhooks/{c.Id}/{c.Type.ToString().ToLowerInvariant()}";

    public static void MapCommerceApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/api/webhooks").WithTags("Webhooks").AllowAnonymous().DisableAntiforgery();
        webhooks.MapPost("/{channelId:guid}/woocommerce", (Guid channelId, HttpContext http, CancellationToken ct) => ReceiveAsync(channelId, ChannelType.WooCommerce, http, ct))
            .WithSummary("WooCommerce order webhook (order created/updated). X-WC-Webhook-Signature = base64(HMAC-SHA256(secret, raw body)); 401 if it does not match.");
        webhooks.MapPost("/{channelId:guid}/shopify", (Guid channelId, HttpContext http, CancellationToken ct) => ReceiveAsync(channelId, ChannelType.Shopify, http, ct))
            .WithSummary("Shopify orders/create and orders/updated webhook. X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(secret, raw body)).");
        webhooks.MapPost("/{channelId:guid}/generic", (Guid channelId, HttpContext http, CancellationToken ct) => ReceiveAsync(channelId, ChannelType.Generic, http, ct))
            .WithSummary("Kontor's generic order format (docs/commerce.md). X-Kontor-Timestamp = Unix seconds (±5 min), X-Kontor-Signature = sha256=hex(HMAC-SHA256(secret, timestamp + \".\" + raw body)).");

        var channels = app.MapGroup("/api/channels").WithTags("Sales channels").RequireAuthorization(Policies.ManageIntegrations);
        channels.MapGet("", async (SalesChannelService service, ChannelSecrets secrets, CancellationToken ct) =>
            TypedResults.Ok((await service.ListAsync(ct)).Select(c => SalesChannelDto.From(c, secrets)).ToList()));
        channels.MapGet("/{id:guid}", async (Guid id, SalesChannelService service, ChannelSecrets secrets, CancellationToken ct) =>
            TypedResults.Ok(SalesChannelDto.From(await service.GetAsync(id, ct), secrets)));
        channels.MapPost("", async (SalesChannelRequest request, SalesChannelService service, ChannelSecrets secrets, CancellationToken ct) =>
        {
            var channel = await service.CreateAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/channels/{channel.Id}", SalesChannelDto.From(channel, secrets));
        }).WithSummary("Create a channel; without a secret a random one is generated (shown masked; set your own to paste it into the shop).");
        channels.MapPut("/{id:guid}", async (Guid id, SalesChannelRequest request, SalesChannelService service, ChannelSecrets secrets, CancellationToken ct) =>
            TypedResults.Ok(SalesChannelDto.From(await service.UpdateAsync(id, request.ToCommand(), ct), secrets)))
            .WithSummary("Update a channel; an empty secret / apiSecret keeps the stored one.");
        channels.MapGet("/{id:guid}/products", async (Guid id, ChannelProductService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(id, ct))).WithSummary("The channel's product mapping (learned from orders or entered by hand) with the last pushed stock and price.");
        channels.MapPut("/{id:guid}/products/{productId:guid}", async (Guid id, Guid productId, SaveChannelProduct request, ChannelProductService service, CancellationToken ct) =>
            TypedResults.Ok(await service.SaveAsync(id, productId, request, ct)))
            .WithSummary("Map a product to the shop's ids {externalProductId, externalVariantId, externalInventoryItemId}; its stock and price are pushed.");
        channels.MapDelete("/{id:guid}/products/{productId:guid}", async (Guid id, Guid productId, ChannelProductService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(id, productId, ct);
            return TypedResults.NoContent();
        }).WithSummary("Remove a product's mapping: nothing more is pushed for it.");
        channels.MapPost("/{id:guid}/sync-stock", async (Guid id, ChannelProductService service, CancellationToken ct) =>
            TypedResults.Ok(new { products = await service.SyncAsync(id, ct) }))
            .WithSummary("Enqueue the current stock and price of every mapped product of the channel (coalesced with pending messages).");

        var integrations = app.MapGroup("/api/integrations").WithTags("Integrations").RequireAuthorization(Policies.ManageIntegrations);
        integrations.MapGet("/held", async (HoldStatus? status, SalesChannelService service, CancellationToken ct) =>
            TypedResults.Ok(await service.HeldAsync(status, ct))).WithSummary("The exceptions queue: shop orders held, with their payloads; kind UnknownSku (unknownSkus: the SKUs that named no product, \"\" for a line without one; null if held before they were kept) or Refused; reason: the same in English words.");
        integrations.MapPost("/held/{id:guid}/retry", async (Guid id, ShopOrderIngestion ingestion, CancellationToken ct) =>
            TypedResults.Ok(await ingestion.RetryAsync(id, ct))).WithSummary("Take a held order again from its kept payload (after creating the product…).");
        integrations.MapGet("/held/{id:guid}/unknown-skus", async (Guid id, ShopOrderIngestion ingestion, CancellationToken ct) =>
            TypedResults.Ok(await ingestion.UnknownSkusAsync(id, ct))).WithSummary("The held order's SKUs that name no product [{sku, name, quantity}]: what to create or map.");
        integrations.MapPost("/held/{id:guid}/map-skus", async (Guid id, MapSkusRequest? request, ShopOrderIngestion ingestion, CancellationToken ct) =>
            TypedResults.Ok(await ingestion.MapSkusAndRetryAsync(id, request?.Mappings, ct)))
            .WithSummary("Map the held order's SKUs {mappings: [{sku, productSku}]} (productId instead of productSku also works; kept for later orders) and take the order again; 400 names mappings[i], 409 when a SKU is a product's own or mapped elsewhere.");
        integrations.MapGet("/sku-mappings", async (Guid? productId, SkuAliasService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(productId, ct))).WithSummary("Shops' SKUs mapped to catalogue products, by SKU.");
        integrations.MapPost("/sku-mappings", async (SkuMappingRequest? request, SkuAliasService service, CancellationToken ct) =>
        {
            var mapping = await service.AddAsync(request?.Sku, request?.ProductId, request?.ProductSku, ct);
            return TypedResults.Created($"/api/integrations/sku-mappings/{mapping.Id}", mapping);
        }).WithSummary("Map a shop's SKU to a product {sku, productSku} (or productId instead of productSku); 400 names the field; 409 when the SKU is a product's own or already names another product.");
        integrations.MapDelete("/sku-mappings/{id:guid}", async (Guid id, SkuAliasService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Remove a SKU mapping: later orders with that SKU are held again until it is mapped or a product has it.");
        integrations.MapPost("/channels/{id:guid}/pull-orders", async (Guid id, PullOrdersRequest? request, ShopOrderPull pull, CancellationToken ct) =>
            TypedResults.Ok(await pull.PullAsync(id, request?.Since, ct: ct)))
            .WithSummary("Fetch missed orders: ask the shop's API for the orders modified since the channel's watermark (less the overlap) or since {since}, and take each like a webhook delivery. 409 for Generic channels; 502 when the shop fails.");
        integrations.MapGet("/log", async (
                [Description("The shop's order (or product) id, any part, any case; a leading '#' is ignored ('#627949' finds 627949); at most 100 characters.")] string? search,
                [Description("A sales channel's id.")] Guid? channelId,
                [Description("In (from the shop) or Out (to the shop).")] IntegrationDirection? direction,
                [Description("Accepted, Duplicate, Stale, Updated, Held, Rejected, Sent, Failed, DeadLetter or Info.")] IntegrationStatus? status,
                [Description("Logged on or after this UTC day (yyyy-MM-dd); not after to.")] DateOnly? from,
                [Description("Logged on or before this UTC day (yyyy-MM-dd).")] DateOnly? to,
                [Description("An order's id: its entries, and those of its shop order that name no order (a delivery held before the order existed, statuses sent back).")] Guid? orderId,
                [Description("The next page: the id of the last entry of the previous page; only older entries are listed.")] Guid? before,
                [Description("Page size, 1–1000 (default 200); a shorter page is the last.")] int? take,
                SalesChannelService service, CancellationToken ct) =>
            TypedResults.Ok(await service.LogAsync(new IntegrationLogFilter(channelId, direction, status, search, from, to, orderId, before), take ?? 200, ct)))
            .WithSummary("Integration log, newest first (by id): what came in / went out, and the answer, a page at a time: take 1–1000 (default 200); ask for the next page " +
                         "with before = the last entry's id. Filters, all combined with AND: search (the shop's order id, '#627949' too, any part, any case), channelId, " +
                         "direction = In|Out, status, from/to (UTC days of at, inclusive, yyyy-MM-dd), orderId (the order's shop messages). " +
                         "400 naming the field: from after to, take out of range, search too long, an unparseable date, id or status.");
        integrations.MapGet("/outbox", async (OutboxStatus? status, Guid? channelId, OutboxQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(status, channelId, ct: ct))).WithSummary("Outbox messages, newest first (status Pending|Sent|DeadLetter).");
        integrations.MapPost("/outbox/{id:guid}/replay", async (Guid id, OutboxQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ReplayAsync(id, ct))).WithSummary("Send a dead-lettered message again (attempts start over).");
    }

    private static async Task<IResult> ReceiveAsync(Guid channelId, ChannelType type, HttpContext http, CancellationToken ct)
    {
        var tooLarge = TypedResults.Problem(statusCode: 413, title: "Too large", detail: $"A webhook body may have at most {MaxWebhookBytes} bytes.");
        if (http.Request.ContentLength > MaxWebhookBytes) return tooLarge;
        // The signature covers the raw bytes: read them once; the receiver verifies and parses those same bytes.
        if (await ReadBodyAsync(http.Request, ct) is not { } body) return tooLarge;
        var headers = http.Request.Headers;
        var receipt = await http.RequestServices.GetRequiredService<ShopWebhookReceiver>()
            .ReceiveAsync(channelId, type, body, name => headers[name].FirstOrDefault(), ct);
        if (receipt.Verdict == WebhookVerdict.NoSuchChannel)
            return TypedResults.Problem(statusCode: 404, title: "No such channel", detail: $"No active {type} channel {channelId}.");
        if (receipt.Verdict == WebhookVerdict.BadSignature)
            return TypedResults.Problem(statusCode: 401, title: "Invalid signature", detail: "The webhook signature does not match this channel's secret.");
        if (receipt.Verdict == WebhookVerdict.Ping) return TypedResults.Ok(new { outcome = "Ping" });
        if (receipt.Verdict == WebhookVerdict.Busy) return Busy(http, receipt);
        var result = receipt.Result!;
        var answer = new { outcome = result.Outcome.ToString(), result.OrderId, result.OrderNumber, result.Message, result.HoldId };
        return result.Outcome == IngestOutcome.Held ? TypedResults.Accepted((string?)null, answer) : TypedResults.Ok(answer);
    }

    /// <summary>
    /// 503 + Retry-After: the delivery was not taken (the ingestion queue is full, or Kontor is shutting down) and nothing of it
    /// was stored; the input is fine, so no field is named. Shopify retries a non-2xx delivery on its own schedule, a generic
    /// client should wait Retry-After seconds; WooCommerce does not resend (docs/commerce.md "Bounded queue").
    /// </summary>
    private static IResult Busy(HttpContext http, WebhookReceipt receipt)
    {
        http.Response.Headers.RetryAfter = receipt.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (title, detail) = receipt.Refusal == QueueRefusal.ShuttingDown
            ? ("Kontor is shutting down", "Kontor is restarting and did not take this delivery; nothing of it was stored.")
            : ("Kontor is busy", "Kontor is taking in more shop orders than it can write right now and did not take this delivery; nothing of it was stored.");
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title,
            detail: $"{detail} Send it again in {receipt.RetryAfterSeconds} s (Retry-After).", type: "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = receipt.RetryAfterSeconds });
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxWebhookBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
