namespace Kontor.Commerce;

public enum ChannelType { WooCommerce, Shopify, Generic }

/// <summary>When a shop order gets its invoice (docs/commerce.md, "The flow").</summary>
public enum InvoiceMoment { OnPayment, OnShipment, Never }

public enum CustomerMatchKey { Email, Nip, Phone }

/// <summary>
/// One web shop Kontor takes orders from and sends statuses, stock and prices to (docs/commerce.md).
/// <see cref="Secret"/> verifies the shop's webhook signatures; it is never shown whole (API and UI mask it).
/// </summary>
public sealed class SalesChannel
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public ChannelType Type { get; set; }
    public string Secret { get; set; } = "";
    /// <summary>The shop's base address for outbound calls (WooCommerce: the WordPress site; Shopify: https://{shop}.myshopify.com).</summary>
    public string? BaseAddress { get; set; }
    /// <summary>WooCommerce consumer key / Shopify: unused.</summary>
    public string? ApiKey { get; set; }
    /// <summary>WooCommerce consumer secret / Shopify Admin API access token.</summary>
    public string? ApiSecret { get; set; }
    public InvoiceMoment InvoiceMoment { get; set; } = InvoiceMoment.OnPayment;
    public string? DefaultWarehouseCode { get; set; }
    /// <summary>Comma-separated <see cref="CustomerMatchKey"/> names, tried in this order ("Email,Nip,Phone").</summary>
    public string CustomerMatching { get; set; } = "Email,Nip,Phone";
    public bool CreateCompanyForVatId { get; set; } = true;
    /// <summary>Gross when the shop's prices include VAT (the usual B2C setting), Net otherwise.</summary>
    public Sales.PricingMode PriceMode { get; set; } = Sales.PricingMode.Gross;
    /// <summary>Shopify location id for inventory_levels/set (outbound stock).</summary>
    public string? ShopLocationId { get; set; }
    /// <summary>A refund from the shop takes the goods back on stock (ZW); off: correction and refund only (docs/commerce.md "Refunds from the shop").</summary>
    public bool RestockOnRefund { get; set; } = true;
    public bool IsActive { get; set; } = true;

    /// <summary>
    /// Kontor can send to the shop (statuses, stock, prices): its type has a connector (a generic channel only receives) and the
    /// shop's address is set. A channel set up with its webhook alone gets nothing queued — a message it cannot send would only
    /// fail its attempts and end among the dead letters. <see cref="ChannelSync"/> asks the same in its query.
    /// </summary>
    public bool SendsToShop => Type != ChannelType.Generic && !string.IsNullOrWhiteSpace(BaseAddress);

    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>
    /// The catch-up pull's watermark: the newest shop modification time of a completed pull (docs/commerce.md "Catch-up
    /// pull"). The next pull asks from here less an overlap; null until the first pull succeeded. Moved only by <see cref="ShopOrderPull"/>.
    /// </summary>
    public DateTimeOffset? OrdersPulledUntil { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();

    public IReadOnlyList<CustomerMatchKey> MatchingOrder() =>
        CustomerMatching.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Enum.TryParse<CustomerMatchKey>(k, true, out var key) ? key : (CustomerMatchKey?)null)
            .OfType<CustomerMatchKey>().Distinct().ToList();

    /// <summary>"••••ab12": enough to tell two secrets apart, not enough to forge a signature.</summary>
    public static string Mask(string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : "••••" + (secret.Length >= 8 ? secret[^4..] : "");
}

public enum IntegrationDirection { In, Out }

public enum IntegrationStatus { Accepted, Duplicate, Stale, Updated, Held, Rejected, Sent, Failed, DeadLetter, Info }

/// <summary>The kinds of incoming orders in the integration log (outgoing entries carry their outbox message type).</summary>
public static class IntegrationLogKinds
{
    /// <summary>An order delivered by the shop's webhook.</summary>
    public const string OrderWebhook = "order-webhook";
    /// <summary>An order the catch-up pull fetched, and each pull's own entry (docs/commerce.md "Catch-up pull").</summary>
    public const string OrderPull = "order-pull";
}

/// <summary>What came in from or went out to a channel, and what became of it: the place to inspect a delivery.</summary>
public sealed class IntegrationLogEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid? ChannelId { get; init; }
    public IntegrationDirection Direction { get; init; }
    /// <summary><see cref="IntegrationLogKinds"/> for orders coming in; "order-status", "stock", "price"… going out.</summary>
    public string Kind { get; init; } = "";
    public IntegrationStatus Status { get; init; }
    public string? ExternalId { get; init; }
    public string? Payload { get; init; }
    public string? Response { get; init; }
    public string? Error { get; init; }
    public Guid? OrderId { get; init; }
    public Guid? OutboxMessageId { get; init; }
    public DateTimeOffset At { get; init; }
}

public enum HoldStatus { Open, Resolved }

/// <summary>Why a shop order is held: what lifts the hold (docs/commerce.md "Held orders").</summary>
public enum HoldKind
{
    /// <summary>A line's SKU named no product (or a line came without one): creating or mapping the product lifts it, and the automatic retry sees to that.</summary>
    UnknownSku,
    /// <summary>Kontor refused something the shop sent (a credit block, an invalid VAT id, a closed period…): a person decides.</summary>
    Refused,
}

/// <summary>
/// The exceptions queue: a shop order Kontor could not take automatically (an unknown SKU, a credit block…). It is
/// kept with its payload until a person fixes the cause and retries it; never dropped. One row per (channel, external order).
/// </summary>
public sealed class HeldShopOrder
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ChannelId { get; init; }
    public string ExternalOrderId { get; init; } = "";
    /// <summary>
    /// Why, as logged — in English for a shop's delivery, in the person's language for a retry from the page —, shortened to
    /// <see cref="MaxReasonLength"/> (ending "…"; the log keeps it whole);
    /// <see cref="Kind"/> and <see cref="UnknownSkus"/> are the same as data, and whole.
    /// </summary>
    public string Reason { get; set; } = "";
    public const int MaxReasonLength = 2000;
    public HoldKind Kind { get; set; }
    /// <summary>
    /// For <see cref="HoldKind.UnknownSku"/>: the kept payload's SKUs (<see cref="Catalog.Product.NormalizeSku"/>) that named no
    /// product when it was held, "" for a line without a SKU (no product can have it). Null for a refused order, and for holds
    /// written before the kinds existed until the automatic retry has read their payload.
    /// </summary>
    public IReadOnlyList<string>? UnknownSkus { get; set; }
    public string Payload { get; set; } = "";
    /// <summary>The shop's modification time of the kept payload: a retry uses the newest delivery, not the last to arrive.</summary>
    public DateTimeOffset ExternalModifiedAt { get; set; }
    public HoldStatus Status { get; set; }
    public Guid? OrderId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Attempts { get; set; }
}
