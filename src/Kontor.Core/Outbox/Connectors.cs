using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kontor.Commerce;

namespace Kontor.Outbox;

/// <summary>
/// One HttpClient for all connectors and the order pull (a client per call would exhaust sockets); tests may register their own.
/// It follows no redirect: every call carries the channel's credentials, and a followed redirect would take them along to
/// wherever it points (.NET drops the Authorization header on a redirect, but not Shopify's X-Shopify-Access-Token); a
/// redirected POST would also come back as a GET whose 200 looked like success. A 3xx is the caller's failure to report.
/// </summary>
public sealed class ConnectorHttp
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
}

/// <summary>
/// WooCommerce REST API v3 (https://woocommerce.github.io/woocommerce-rest-api-docs/): order status by
/// PUT {base}/wp-json/wc/v3/orders/{id} {"status":…}; stock and price by PUT {base}/wp-json/wc/v3/products/{id}
/// {"stock_quantity":…,"manage_stock":true} / {"regular_price":"…"}. Basic authentication with the consumer key and secret.
/// A retry reads the order's notes before adding the tracking note again.
/// </summary>
public sealed class WooCommerceConnector(ConnectorHttp http, ChannelSecrets secrets) : IChannelConnector
{
    public ChannelType Type => ChannelType.WooCommerce;

    public async Task<ConnectorResult> SendAsync(SalesChannel channel, OutboxMessage message, CancellationToken ct)
    {
        var payload = JsonNode.Parse(message.Payload)!.AsObject();
        var (path, body) = message.Type switch
        {
            OutboxMessageTypes.OrderStatus => ($"wp-json/wc/v3/orders/{Segment(payload, "externalOrderId")}",
                new JsonObject { ["status"] = (string?)payload["status"] }),
            OutboxMessageTypes.Stock => (ProductPath(payload),
                new JsonObject { ["manage_stock"] = true, ["stock_quantity"] = (int?)payload["quantity"] }),
            OutboxMessageTypes.Price => (ProductPath(payload),
                new JsonObject { ["regular_price"] = (string?)payload["regularPrice"] }),
            _ => throw new InvalidOperationException($"WooCommerce cannot send {message.Type} messages."),
        };
        var result = await SendAsync(channel, HttpMethod.Put, path, body, ct);
        // Shipped with a tracking number: a customer note on the order carries it (WooCommerce has no tracking field of its
        // own without a plugin). Second call after the status: a retry repeats the idempotent PUT, then the note.
        if (!result.Success || message.Type != OutboxMessageTypes.OrderStatus || (string?)payload["trackingNumber"] is not { Length: > 0 } tracking)
            return result;
        var carrier = (string?)payload["carrier"];
        var parcel = carrier is { Length: > 0 } ? $"Przesyłka wysłana / Shipped: {carrier}, nr {tracking}" : $"Przesyłka wysłana / Shipped: nr {tracking}";
        var note = new JsonObject
        {
            ["note"] = (string?)payload["trackingUrl"] is { Length: > 0 } url ? $"{parcel}\n{url}" : parcel,
            ["customer_note"] = true,
        };
        var notesPath = $"wp-json/wc/v3/orders/{Segment(payload, "externalOrderId")}/notes";
        // A note is not idempotent: on a retry (the note's answer may have been lost after WooCommerce added it) the order's
        // notes are read first, so the customer is not told twice.
        if (message.Attempts > 0 && await HasNoteAsync(channel, notesPath, (string)note["note"]!, ct))
            return new ConnectorResult(true, result.Request + $"\nGET {notesPath}", result.Response + "\nThe note is on the order already; not added again.");
        var noted = await SendAsync(channel, HttpMethod.Post, notesPath, note, ct);
        return new ConnectorResult(noted.Success, result.Request + "\n" + noted.Request, result.Response + "\n" + noted.Response);
    }

    /// <summary>Whether the order's notes (GET orders/{id}/notes) hold <paramref name="text"/>; false when they cannot be read.</summary>
    private async Task<bool> HasNoteAsync(SalesChannel channel, string notesPath, string text, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(channel, notesPath));
        secrets.AuthorizeShopCall(request, channel);
        using var response = await http.Client.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) return false;
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) is JsonArray notes
                   && notes.Any(n => n is JsonObject o && o["note"] is JsonValue v && v.TryGetValue<string>(out var said) && said == text);
        }
        catch (JsonException) { return false; }
    }

    private async Task<ConnectorResult> SendAsync(SalesChannel channel, HttpMethod method, string path, JsonNode body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, Url(channel, path)) { Content = Json(body) };
        secrets.AuthorizeShopCall(request, channel);
        return await ConnectorCalls.SendAsync(http.Client, request, body, ct);
    }

    /// <summary>products/{id}, or products/{parent}/variations/{id} for a variation (its stock and price are its own).</summary>
    private static string ProductPath(JsonObject payload) => string.IsNullOrEmpty((string?)payload["externalVariantId"])
        ? $"wp-json/wc/v3/products/{Segment(payload, "externalProductId")}"
        : $"wp-json/wc/v3/products/{Segment(payload, "externalProductId")}/variations/{Segment(payload, "externalVariantId")}";

    internal static string Segment(JsonObject payload, string name) =>
        Uri.EscapeDataString((string?)payload[name] ?? throw new InvalidOperationException($"The message has no {name}."));

    internal static Uri Url(SalesChannel channel, string path)
    {
        if (string.IsNullOrWhiteSpace(channel.BaseAddress)) throw new InvalidOperationException($"Channel {channel.Name} has no base address.");
        return new Uri(new Uri(channel.BaseAddress.TrimEnd('/') + "/"), path);
    }

    internal static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}

/// <summary>
/// Shopify Admin REST API 2024-01 (https://shopify.dev/docs/api/admin-rest/2024-01): shipped → POST
/// orders/{id}/fulfillments.json; cancelled → POST orders/{id}/cancel.json {reason: "other", email: true} (the customer is told,
/// as on shipping; Shopify refuses to cancel a fulfilled order, which Kontor does not cancel either); stock → POST inventory_levels/set.json {location_id, inventory_item_id, available};
/// price → PUT variants/{id}.json {variant:{price}}. Authenticated by X-Shopify-Access-Token (the channel's API secret).
/// A cancel or fulfil refused with 422 is a success when GET orders/{id}.json shows it already done (a retry after a lost answer).
/// Shopify has no "processing" status: that message is acknowledged without a call.
/// </summary>
public sealed class ShopifyConnector(ConnectorHttp http, ChannelSecrets secrets) : IChannelConnector
{
    public const string ApiVersion = "2024-01";
    public ChannelType Type => ChannelType.Shopify;

    public async Task<ConnectorResult> SendAsync(SalesChannel channel, OutboxMessage message, CancellationToken ct)
    {
        var payload = JsonNode.Parse(message.Payload)!.AsObject();
        (HttpMethod Method, string Path, JsonObject Body)? call = message.Type switch
        {
            OutboxMessageTypes.OrderStatus when (string?)payload["status"] == "completed" =>
                (HttpMethod.Post, $"admin/api/{ApiVersion}/orders/{WooCommerceConnector.Segment(payload, "externalOrderId")}/fulfillments.json",
                    Fulfillment(payload)),
            OutboxMessageTypes.OrderStatus when (string?)payload["status"] == "cancelled" =>
                (HttpMethod.Post, $"admin/api/{ApiVersion}/orders/{WooCommerceConnector.Segment(payload, "externalOrderId")}/cancel.json",
                    new JsonObject { ["reason"] = "other", ["email"] = true }),
            OutboxMessageTypes.OrderStatus => null,
            OutboxMessageTypes.Stock => (HttpMethod.Post, $"admin/api/{ApiVersion}/inventory_levels/set.json", new JsonObject
            {
                ["location_id"] = channel.ShopLocationId, ["inventory_item_id"] = (string?)payload["externalProductId"], ["available"] = (int?)payload["quantity"],
            }),
            OutboxMessageTypes.Price => (HttpMethod.Put, $"admin/api/{ApiVersion}/variants/{WooCommerceConnector.Segment(payload, "externalProductId")}.json",
                new JsonObject { ["variant"] = new JsonObject { ["price"] = (string?)payload["regularPrice"] } }),
            _ => throw new InvalidOperationException($"Shopify cannot send {message.Type} messages."),
        };
        if (call is null) return new ConnectorResult(true, message.Payload, "Nothing to send: Shopify has no such order status.");
        using var request = new HttpRequestMessage(call.Value.Method, WooCommerceConnector.Url(channel, call.Value.Path)) { Content = WooCommerceConnector.Json(call.Value.Body) };
        secrets.AuthorizeShopCall(request, channel);
        var (result, status) = await ConnectorCalls.SendWithStatusAsync(http.Client, request, call.Value.Body, ct);
        // Cancel and fulfil are not idempotent on Shopify's side: when the answer to the first call was lost (a timeout after
        // Shopify acted), the retry is refused with 422. The order itself says whether it is already as Kontor wants it.
        if (result.Success || status != 422 || message.Type != OutboxMessageTypes.OrderStatus) return result;
        return await AlreadyDoneAsync(channel, payload, result, ct) ?? result;
    }

    /// <summary>
    /// Reads the order (GET orders/{id}.json) after a 422 on cancel or fulfil: a success when it is already cancelled or
    /// fulfilled — the repeat of a call whose answer was lost —, null otherwise (the 422 stands, with Shopify's reason).
    /// </summary>
    private async Task<ConnectorResult?> AlreadyDoneAsync(SalesChannel channel, JsonObject payload, ConnectorResult refused, CancellationToken ct)
    {
        var path = $"admin/api/{ApiVersion}/orders/{WooCommerceConnector.Segment(payload, "externalOrderId")}.json?fields=id,cancelled_at,fulfillment_status";
        using var request = new HttpRequestMessage(HttpMethod.Get, WooCommerceConnector.Url(channel, path));
        secrets.AuthorizeShopCall(request, channel);
        using var response = await http.Client.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var read = new ConnectorResult(false, refused.Request + $"\nGET {request.RequestUri}", refused.Response + $"\n{(int)response.StatusCode} {response.ReasonPhrase}\n{text}");
        if (!response.IsSuccessStatusCode) return null;
        JsonNode? order;
        try { order = JsonNode.Parse(text)?["order"]; }
        catch (JsonException) { return null; }
        var done = (string?)payload["status"] switch
        {
            "cancelled" => order?["cancelled_at"] is JsonValue at && at.TryGetValue<string>(out var when) && when.Length > 0,
            "completed" => (string?)order?["fulfillment_status"] == "fulfilled",
            _ => false,
        };
        return done ? read with { Success = true } : null;
    }

    /// <summary>
/// The fulfillment; with the parcel as tracking_info {number, company, url} when known. The url matters for the carriers
/// Shopify does not know (InPost, DPD Polska, СДЭК…): without it the customer's e-mail has a number and no link.
/// </summary>
    private static JsonObject Fulfillment(JsonObject payload)
    {
        var fulfillment = new JsonObject { ["notify_customer"] = true };
        if ((string?)payload["trackingNumber"] is { Length: > 0 } number)
        {
            var tracking = new JsonObject { ["number"] = number };
            if ((string?)payload["carrier"] is { Length: > 0 } company) tracking["company"] = company;
            if ((string?)payload["trackingUrl"] is { Length: > 0 } url) tracking["url"] = url;
            fulfillment["tracking_info"] = tracking;
        }
        return new JsonObject { ["fulfillment"] = fulfillment };
    }
}

internal static class ConnectorCalls
{
    public static async Task<ConnectorResult> SendAsync(HttpClient client, HttpRequestMessage request, JsonNode body, CancellationToken ct) =>
        (await SendWithStatusAsync(client, request, body, ct)).Result;

    public static async Task<(ConnectorResult Result, int Status)> SendWithStatusAsync(HttpClient client, HttpRequestMessage request, JsonNode body, CancellationToken ct)
    {
        var sent = $"{request.Method} {request.RequestUri}\n{body.ToJsonString()}";
        using var response = await client.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        // A redirect is not followed (ConnectorHttp): where it pointed is what the person needs to fix the channel's address.
        var location = response.Headers.Location is { } to ? $" → {new Uri(request.RequestUri!, to)}" : "";
        return (new ConnectorResult(response.IsSuccessStatusCode, sent, $"{(int)response.StatusCode} {response.ReasonPhrase}{location}\n{text}"), (int)response.StatusCode);
    }
}
