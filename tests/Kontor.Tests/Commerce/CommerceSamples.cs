using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Commerce;

/// <summary>The sample shop orders in TestData/commerce and signed deliveries of them.</summary>
public static class CommerceSamples
{
    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "commerce", name)))!.AsObject();

    /// <summary>A WooCommerce order with its own id, SKUs and e-mail, so tests sharing a database do not meet.</summary>
    public static JsonObject WooOrder(string id, string kubekSku, string czajnikSku, string email, string modifiedGmt = "2026-03-20T10:02:14", bool paid = true, string status = "processing")
    {
        var order = Load("woocommerce-order.json");
        order["id"] = long.Parse(id);
        order["number"] = id;
        order["status"] = status;
        order["date_modified_gmt"] = modifiedGmt;
        order["billing"]!["email"] = email;
        order["billing"]!["phone"] = "+48 6" + id.PadLeft(8, '0')[^8..];
        order["line_items"]![0]!["sku"] = kubekSku;
        order["line_items"]![1]!["sku"] = czajnikSku;
        if (!paid) { order["date_paid"] = null; order["date_paid_gmt"] = null; }
        return order;
    }

    /// <summary>
    /// The same order as <see cref="WooOrder"/> in the generic format (docs/commerce.md): a person, 2 × 45.00 + 1 × 100.00 +
    /// 15.00 shipping, net, PLN, paid — 205.00 net, 47.15 VAT, 252.15 gross with the sample products.
    /// </summary>
    public static JsonObject GenericOrder(string id, string kubekSku, string czajnikSku, string email) => new()
    {
        ["id"] = id, ["number"] = id, ["currency"] = "PLN", ["modifiedAt"] = "2026-03-20T10:02:14Z", ["status"] = "open", ["paid"] = true,
        ["customer"] = new JsonObject
        {
            ["firstName"] = "Jan", ["lastName"] = "Kowalski", ["email"] = email, ["phone"] = "+48 6" + id.PadLeft(8, '0')[^8..],
            ["street"] = "ul. Długa 1", ["postalCode"] = "00-001", ["city"] = "Warszawa", ["countryCode"] = "PL",
        },
        ["lines"] = new JsonArray(
            new JsonObject { ["sku"] = kubekSku, ["name"] = "Kubek", ["quantity"] = 2, ["unitPrice"] = "45.00" },
            new JsonObject { ["sku"] = czajnikSku, ["name"] = "Czajnik", ["quantity"] = 1, ["unitPrice"] = "100.00" }),
        ["shipping"] = "15.00",
    };

    public static string UniqueId() => Random.Shared.NextInt64(100_000, 9_999_999_999).ToString();

    public static string Base64Hmac(string secret, string body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>POSTs <paramref name="body"/> to the channel's webhook, signed with <paramref name="secret"/> the way that shop signs.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> DeliverAsync(HttpClient client, Guid channelId, string type, string body, string secret,
        DateTimeOffset? now = null, string? signedBody = null)
    {
        using var request = WebhookRequest(channelId, type, body, secret, now, signedBody);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>The webhook POST of <paramref name="body"/>, signed with <paramref name="secret"/> the way that shop signs (for tests that read the headers).</summary>
    public static HttpRequestMessage WebhookRequest(Guid channelId, string type, string body, string secret, DateTimeOffset? now = null, string? signedBody = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/{channelId}/{type}") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var signed = signedBody ?? body;
        switch (type)
        {
            case "woocommerce": request.Headers.Add("X-WC-Webhook-Signature", Base64Hmac(secret, signed)); break;
            case "shopify": request.Headers.Add("X-Shopify-Hmac-Sha256", Base64Hmac(secret, signed)); break;
            default:
                var timestamp = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString();
                request.Headers.Add("X-Kontor-Timestamp", timestamp);
                request.Headers.Add("X-Kontor-Signature", "sha256=" + Convert.ToHexStringLower(
                    HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + signed))));
                break;
        }
        return request;
    }

    public static async Task<Guid> CreateChannelAsync(HttpClient admin, string type, string secret, string priceMode = "Net", string invoiceMoment = "OnPayment",
        string? baseAddress = null) =>
        (await admin.PostCreatedAsync("/api/channels", new
        {
            name = $"{type} {Guid.NewGuid():N}"[..20], type, secret, baseAddress, apiKey = "ck_test", apiSecret = "cs_test_secret",
            invoiceMoment, customerMatching = new[] { "Email", "Nip", "Phone" }, createCompanyForVatId = true, priceMode,
        })).Id();

    public static Task<JsonNode> CreateProductAsync(HttpClient admin, string sku, string netPrice = "10.00") =>
        admin.PostCreatedAsync("/api/products", new
        {
            sku, name = "Produkt " + sku, kind = "Goods", unit = "szt.", netPrice = new { amount = netPrice, currency = "PLN" }, vatRateCode = "23",
        });

    /// <summary>The two products of the sample orders (<see cref="WooOrder"/>: a mug and a kettle), under fresh SKUs.</summary>
    public static async Task<(string Kubek, string Czajnik)> SampleProductsAsync(HttpClient admin)
    {
        var (kubek, czajnik) = (Sku(), Sku());
        await CreateProductAsync(admin, kubek);
        await CreateProductAsync(admin, czajnik);
        return (kubek, czajnik);
    }

    public static string Sku() => "SK-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
}
