using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Kontor.Commerce;

/// <summary>A shop's order in one shape, whichever shop sent it. Amounts are in the shop's price mode (net or gross, per channel).</summary>
public sealed record ShopOrder(
    string ExternalId,
    string? Number,
    string Currency,
    DateTimeOffset ModifiedAt,
    ShopOrderState State,
    bool IsPaid,
    ShopCustomer Customer,
    IReadOnlyList<ShopOrderLine> Lines,
    decimal Shipping,
    string ShopStatus,
    IReadOnlyList<ShopRefund>? Refunds = null);

/// <summary>A refund the shop made (Shopify <c>refunds[]</c>): its id and the order lines it gives back (docs/commerce.md "Refunds from the shop").</summary>
public sealed record ShopRefund(string Id, IReadOnlyList<ShopRefundLine> Lines);

/// <param name="LineId">The shop's order line id (<see cref="ShopOrderLine.ExternalLineId"/>).</param>
/// <param name="Restock">False when the shop says the goods do not come back (Shopify <c>restock_type: no_restock</c>).</param>
public sealed record ShopRefundLine(string LineId, decimal Quantity, bool Restock);

public enum ShopOrderState { Open, Cancelled, Refunded }

public sealed record ShopCustomer(string? FirstName, string? LastName, string? Company, string? Email, string? Phone, string? VatId,
    string? Street, string? PostalCode, string? City, string? CountryCode)
{
    public string PersonName => string.Join(' ', new[] { FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()));
}

/// <summary><paramref name="Total"/> is the line's amount after the shop's discounts, net or gross as the channel's price mode says.</summary>
/// <paramref name="ExternalLineId"/>: the shop's line id (Shopify refunds name their lines by it).
/// <paramref name="ExternalProductId"/> / <paramref name="ExternalVariantId"/>: the shop's product and variation (variant) ids,
/// when it sends them — learned as the channel's product mapping (<see cref="ChannelProduct"/>).
public sealed record ShopOrderLine(string? Sku, string Name, decimal Quantity, decimal Total, string? ExternalLineId = null,
    string? ExternalProductId = null, string? ExternalVariantId = null)
{
    /// <summary>The unit price that gives <see cref="Total"/> (to the 4 places a line's price may have).</summary>
    public decimal UnitPrice => decimal.Round(Total / Quantity, 4, MidpointRounding.AwayFromZero);
}

/// <summary>The body is not an order Kontor can read (400, kept in the integration log).</summary>
public sealed class ShopOrderFormatException(string reason) : Exception(reason);

/// <summary>Webhook signatures: HMAC-SHA256 over the raw body with the channel's secret, compared in constant time.</summary>
public static class WebhookSignatures
{
    public const string WooCommerceHeader = "X-WC-Webhook-Signature";
    public const string ShopifyHeader = "X-Shopify-Hmac-Sha256";
    public const string GenericHeader = "X-Kontor-Signature";
    public const string GenericTimestampHeader = "X-Kontor-Timestamp";
    /// <summary>A generic delivery older or newer than this (by its timestamp header) is refused: limits replay.</summary>
    public static readonly TimeSpan GenericTolerance = TimeSpan.FromMinutes(5);

    public static byte[] Hmac(string secret, ReadOnlySpan<byte> data) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data);

    /// <summary>WooCommerce and Shopify: base64(HMAC-SHA256(secret, raw body)).</summary>
    public static bool VerifyBase64(string secret, byte[] body, string? header)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrWhiteSpace(header)) return false;
        byte[] given;
        try { given = Convert.FromBase64String(header.Trim()); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(Hmac(secret, body), given);
    }

    /// <summary>Generic: "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + raw body)), timestamp in Unix seconds within <see cref="GenericTolerance"/>.</summary>
    public static bool VerifyGeneric(string secret, byte[] body, string? signature, string? timestamp, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrWhiteSpace(signature) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if (seconds < 0 || seconds > 253402300799) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > GenericTolerance) return false;
        var value = signature.Trim();
        if (!value.StartsWith("sha256=", StringComparison.Ordinal)) return false;
        byte[] given;
        try { given = Convert.FromHexString(value["sha256=".Length..]); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(Hmac(secret, GenericSignedBytes(timestamp!, body)), given);
    }

    public static byte[] GenericSignedBytes(string timestamp, byte[] body) => [.. Encoding.UTF8.GetBytes(timestamp + "."), .. body];

    public static string SignBase64(string secret, byte[] body) => Convert.ToBase64String(Hmac(secret, body));

    public static string SignGeneric(string secret, string timestamp, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(Hmac(secret, GenericSignedBytes(timestamp, body)));
}

/// <summary>
/// Reads WooCommerce (REST v3 order), Shopify (Admin API order) and Kontor's generic order JSON. Amounts are taken
/// net or gross per <paramref name="mode"/> (the channel's price mode); a missing id, bad amount or bad JSON is a
/// <see cref="ShopOrderFormatException"/> naming the field.
/// </summary>
public static class ShopOrderParser
{
    public static ShopOrder Parse(ChannelType type, Sales.PricingMode mode, byte[] body)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(body); }
        catch (JsonException e) { throw new ShopOrderFormatException($"The body is not valid JSON: {e.Message}"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new ShopOrderFormatException("The body must be a JSON object (an order).");
            try
            {
                var order = type switch
                {
                    ChannelType.WooCommerce => WooCommerce(document.RootElement, mode),
                    ChannelType.Shopify => Shopify(document.RootElement),
                    _ => Generic(document.RootElement),
                };
                if (order.Lines.Count == 0) throw new InvalidOperationException("line_items: the order has no lines.");
                return order;
            }
            catch (InvalidOperationException e) { throw new ShopOrderFormatException(e.Message); }
        }
    }

    // https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties
    private static ShopOrder WooCommerce(JsonElement o, Sales.PricingMode mode)
    {
        var id = RequiredId(o, "id");
        var status = Text(o, "status") ?? "pending";
        var billing = Object(o, "billing");
        var lines = Array(o, "line_items").Select((l, i) =>
        {
            var quantity = Quantity(l, "quantity", $"line_items[{i}].quantity");
            var total = Amount(l, "total", $"line_items[{i}].total");
            var tax = OptionalAmount(l, "total_tax", $"line_items[{i}].total_tax") ?? 0m;
            return new ShopOrderLine(Text(l, "sku"), Text(l, "name") ?? $"line {i + 1}", quantity, mode == Sales.PricingMode.Gross ? total + tax : total,
                ExternalProductId: ExternalId(l, "product_id"), ExternalVariantId: ExternalId(l, "variation_id"));
        }).ToList();
        var shipping = Array(o, "shipping_lines").Select((s, i) =>
            Amount(s, "total", $"shipping_lines[{i}].total") + (mode == Sales.PricingMode.Gross ? OptionalAmount(s, "total_tax", $"shipping_lines[{i}].total_tax") ?? 0m : 0m)).Sum();
        var paid = Bool(o, "set_paid") || Text(o, "date_paid_gmt") is not null || Text(o, "date_paid") is not null;
        return new ShopOrder(id, Text(o, "number"), Currency(o), Instant(o, "date_modified_gmt", assumeUtc: true),
            status switch { "cancelled" or "failed" => ShopOrderState.Cancelled, "refunded" => ShopOrderState.Refunded, _ => ShopOrderState.Open },
            paid,
            new ShopCustomer(Text(billing, "first_name"), Text(billing, "last_name"), Text(billing, "company"), Text(billing, "email"), Text(billing, "phone"),
                Text(billing, "vat_number") ?? Text(billing, "nip") ?? MetaVatId(o),
                Join(Text(billing, "address_1"), Text(billing, "address_2")), Text(billing, "postcode"), Text(billing, "city"), Text(billing, "country")),
            lines, shipping, status);
    }

    // https://shopify.dev/docs/api/admin-rest/2024-01/resources/order — prices as the shop shows them (taxes_included decides net/gross).
    private static ShopOrder Shopify(JsonElement o)
    {
        var id = RequiredId(o, "id");
        var financial = Text(o, "financial_status") ?? "pending";
        var billing = Object(o, "billing_address");
        var customer = Object(o, "customer");
        var lines = Array(o, "line_items").Select((l, i) =>
        {
            var quantity = Quantity(l, "quantity", $"line_items[{i}].quantity");
            var price = Amount(l, "price", $"line_items[{i}].price");
            var discount = OptionalAmount(l, "total_discount", $"line_items[{i}].total_discount") ?? 0m;
            return new ShopOrderLine(Text(l, "sku"), Text(l, "title") ?? Text(l, "name") ?? $"line {i + 1}", quantity, price * quantity - discount,
                Text(l, "id"), ExternalId(l, "product_id"), ExternalId(l, "variant_id"));
        }).ToList();
        var refunds = Array(o, "refunds").Select((r, i) => new ShopRefund(
            Text(r, "id") ?? throw new InvalidOperationException($"refunds[{i}].id is missing."),
            Array(r, "refund_line_items").Select((x, j) => new ShopRefundLine(
                Text(x, "line_item_id") ?? throw new InvalidOperationException($"refunds[{i}].refund_line_items[{j}].line_item_id is missing."),
                Quantity(x, "quantity", $"refunds[{i}].refund_line_items[{j}].quantity"),
                Text(x, "restock_type") is not "no_restock")).ToList())).ToList();
        var shipping = Array(o, "shipping_lines").Select((s, i) => Amount(s, "price", $"shipping_lines[{i}].price")).Sum();
        var cancelled = Text(o, "cancelled_at") is not null;
        return new ShopOrder(id, Text(o, "name"), Currency(o), Instant(o, "updated_at", assumeUtc: false),
            financial is "refunded" ? ShopOrderState.Refunded : cancelled || financial == "voided" ? ShopOrderState.Cancelled : ShopOrderState.Open,
            financial is "paid" or "partially_refunded",
            new ShopCustomer(Text(billing, "first_name") ?? Text(customer, "first_name"), Text(billing, "last_name") ?? Text(customer, "last_name"),
                Text(billing, "company"), Text(o, "email") ?? Text(customer, "email"), Text(billing, "phone") ?? Text(o, "phone") ?? Text(customer, "phone"),
                NoteAttribute(o, "vat_id") ?? NoteAttribute(o, "nip"),
                Join(Text(billing, "address1"), Text(billing, "address2")), Text(billing, "zip"), Text(billing, "city"), Text(billing, "country_code")),
            lines, shipping, cancelled ? "cancelled" : financial, refunds);
    }

    // docs/commerce.md, "Generic format".
    private static ShopOrder Generic(JsonElement o)
    {
        var id = RequiredId(o, "id");
        var status = Text(o, "status") ?? "open";
        var customer = Object(o, "customer");
        var lines = Array(o, "lines").Select((l, i) =>
        {
            var quantity = Quantity(l, "quantity", $"lines[{i}].quantity");
            var unitPrice = Amount(l, "unitPrice", $"lines[{i}].unitPrice");
            var discount = OptionalAmount(l, "discount", $"lines[{i}].discount") ?? 0m;
            return new ShopOrderLine(Text(l, "sku"), Text(l, "name") ?? $"line {i + 1}", quantity, unitPrice * quantity - discount,
                ExternalProductId: ExternalId(l, "productId"), ExternalVariantId: ExternalId(l, "variantId"));
        }).ToList();
        return new ShopOrder(id, Text(o, "number"), Currency(o), Instant(o, "modifiedAt", assumeUtc: false),
            status switch { "cancelled" => ShopOrderState.Cancelled, "refunded" => ShopOrderState.Refunded, _ => ShopOrderState.Open },
            Bool(o, "paid"),
            new ShopCustomer(Text(customer, "firstName"), Text(customer, "lastName"), Text(customer, "company"), Text(customer, "email"), Text(customer, "phone"),
                Text(customer, "vatId"), Text(customer, "street"), Text(customer, "postalCode"), Text(customer, "city"), Text(customer, "countryCode")),
            lines, OptionalAmount(o, "shipping", "shipping") ?? 0m, status);
    }

    /// <summary>A shop id of a product or variation; absent, 0 (WooCommerce's "no variation") or over 64 characters = none.</summary>
    private static string? ExternalId(JsonElement o, string name)
    {
        var id = Text(o, name);
        return id is null or "0" || id.Length > 64 ? null : id;
    }

    private static string RequiredId(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v)) throw new InvalidOperationException($"{name} is missing: the order has no id.");
        var id = v.ValueKind switch
        {
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String => v.GetString()?.Trim(),
            _ => null,
        };
        if (string.IsNullOrEmpty(id) || id.Length > 64) throw new InvalidOperationException($"{name} must be a number or a string of 1–64 characters.");
        return id;
    }

    private static string Currency(JsonElement o)
    {
        var code = Text(o, "currency")?.ToUpperInvariant();
        if (code is null || code.Length != 3 || !code.All(char.IsAsciiLetterUpper)) throw new InvalidOperationException("currency must be a three-letter ISO 4217 code.");
        return code;
    }

    private static DateTimeOffset Instant(JsonElement o, string name, bool assumeUtc)
    {
        var text = Text(o, name) ?? throw new InvalidOperationException($"{name} is missing: updates are applied in the shop's modification order.");
        var styles = DateTimeStyles.AllowWhiteSpaces | (assumeUtc ? DateTimeStyles.AssumeUniversal : DateTimeStyles.None);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var at)) throw new InvalidOperationException($"{name} is not a date and time: '{text}'.");
        return at.ToUniversalTime();
    }

    private static decimal Quantity(JsonElement o, string name, string field)
    {
        var quantity = Amount(o, name, field);
        if (quantity <= 0) throw new InvalidOperationException($"{field} must be positive.");
        return quantity;
    }

    private static decimal Amount(JsonElement o, string name, string field) =>
        OptionalAmount(o, name, field) ?? throw new InvalidOperationException($"{field} is missing.");

    private static decimal? OptionalAmount(JsonElement o, string name, string field)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        decimal value;
        var ok = v.ValueKind switch
        {
            JsonValueKind.Number => v.TryGetDecimal(out value),
            JsonValueKind.String => decimal.TryParse(v.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value),
            _ => (value = 0) != 0,
        };
        if (!ok || Math.Abs(value) >= 1_000_000_000_000m) throw new InvalidOperationException($"{field} is not an amount: {v.GetRawText()}.");
        return value;
    }

    private static string? Text(JsonElement o, string name)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var v)) return null;
        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    private static bool Bool(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static JsonElement Object(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;

    private static IEnumerable<JsonElement> Array(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind != JsonValueKind.Array) throw new InvalidOperationException($"{name} must be an array.");
        return v.EnumerateArray().ToList();
    }

    private static string? Join(string? a, string? b) => b is null ? a : a is null ? b : a + " " + b;

    /// <summary>EU VAT plugins keep the buyer's VAT id in meta_data (keys such as _billing_vat_number, vat_number, _vat_number, nip).</summary>
    private static string? MetaVatId(JsonElement o) =>
        Array(o, "meta_data").Where(m => m.ValueKind == JsonValueKind.Object)
            .Where(m => Text(m, "key") is { } key && key.TrimStart('_').ToLowerInvariant() is "billing_vat_number" or "vat_number" or "billing_nip" or "nip" or "vat_id")
            .Select(m => Text(m, "value")).FirstOrDefault(v => v is not null);

    private static string? NoteAttribute(JsonElement o, string name) =>
        Array(o, "note_attributes").Where(m => m.ValueKind == JsonValueKind.Object)
            .Where(m => string.Equals(Text(m, "name"), name, StringComparison.OrdinalIgnoreCase)).Select(m => Text(m, "value")).FirstOrDefault(v => v is not null);
}
