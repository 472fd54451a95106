using Kontor.Catalog;
using Kontor.Common;
using Kontor.Sales;

namespace Kontor.Orders;

public enum OrderStatus { Accepted, InProgress, Shipped, Delivered, Cancelled, Returned }

/// <summary>
/// A buyer's order (zamówienie): numbered on creation (ZAM/yyyy/MM/n), then moved along
/// accepted → picking (<see cref="OrderStatus.InProgress"/>) → shipped (goods issued, tracking number) → delivered,
/// or cancelled before it ships (docs/commerce.md, "Order lifecycle"). Every move is kept in <see cref="OrderStatusChange"/>. Its lines are invoice
/// lines, so invoicing copies them one to one; several orders of one buyer may share one invoice,
/// but each order is invoiced once (<see cref="InvoiceId"/>).
/// </summary>
public sealed class Order
{
    /// <summary>Document type in numbering series and document links.</summary>
    public const string DocumentType = "order";
    public const string DefaultNumberPattern = "ZAM/{yyyy}/{MM}/{n}";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public OrderStatus Status { get; set; }
    public string Number { get; set; } = "";
    public Guid SeriesId { get; set; }
    public DateOnly OrderedOn { get; set; }
    public Guid PartyId { get; set; }
    public string Currency { get; set; } = "PLN";
    public PricingMode PricingMode { get; set; }
    public string? Notes { get; set; }
    public decimal TotalNet { get; set; }
    public decimal TotalVat { get; set; }
    public decimal TotalGross { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    /// <summary>The invoice draft this order went into; set once, so an order is never invoiced twice.</summary>
    public Guid? InvoiceId { get; set; }
    /// <summary>The marketing campaign this sale is attributed to (docs/crm.md, "Campaigns"); carried into the documents made of it.</summary>
    public Guid? CampaignId { get; set; }
    /// <summary>The sales channel (web shop) the order came from, with the shop's order id: one order per (channel, id) (docs/commerce.md).</summary>
    public Guid? ChannelId { get; set; }
    public string? ExternalOrderId { get; set; }
    /// <summary>The shop's own status and modification time of the last update applied: older deliveries are ignored.</summary>
    public string? ExternalStatus { get; set; }
    public DateTimeOffset? ExternalModifiedAt { get; set; }
    /// <summary>The parcel's tracking number and the carrier, recorded when the order ships.</summary>
    public string? TrackingNumber { get; set; }
    public string? Carrier { get; set; }
    public DateOnly? ShippedOn { get; set; }
    public DateOnly? DeliveredOn { get; set; }
    /// <summary>
    /// The day the shop said the order was paid (first delivery that said so). For a channel that invoices on shipment
    /// the gateway payment is registered against the invoice when the order ships (docs/decisions.md, order lifecycle).
    /// </summary>
    public DateOnly? PaidAtShopOn { get; set; }
    /// <summary>The shop's payment reference ("{channel} #{number}") for that later registration.</summary>
    public string? PaidAtShopReference { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<OrderLine> Lines { get; init; } = [];

    public const int TrackingNumberMaxLength = 64;
    public const int CarrierMaxLength = 64;

    /// <summary>How messages name a status ("picking" for InProgress, as the UI calls it).</summary>
    public static string StatusName(OrderStatus status) => status switch
    {
        OrderStatus.InProgress => "picking",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>A status inside a message for people (<see cref="StatusWord"/>).</summary>
    public static StatusWord Said(OrderStatus status) => new(status);

    /// <summary>
    /// A status inside a message for people: <see cref="StatusName"/> in English, as the API has always said it; in another
    /// language the UI's own name of the status (its row OrderStatus.X, which the message catalogue carries along).
    /// </summary>
    public readonly struct StatusWord(OrderStatus status) : IFormattable
    {
        public override string ToString() => ToString(null, null);

        public string ToString(string? format, IFormatProvider? formatProvider)
        {
            var key = $"{nameof(OrderStatus)}.{status}";
            var said = Messages.Translate(key);
            return said == key ? StatusName(status) : said;
        }
    }

    /// <summary>
    /// The moves a person makes; anything else is a conflict with the order's current state. Returned is not among them:
    /// only a return reaches it (OrderReturnService, which checks its own precondition — docs/commerce.md "Returns and refunds").
    /// </summary>
    public static bool CanMove(OrderStatus from, OrderStatus to) => (from, to) switch
    {
        (OrderStatus.Accepted, OrderStatus.InProgress) => true,
        // Shipping straight from Accepted passes through picking implicitly (one parcel packed at the desk).
        (OrderStatus.Accepted or OrderStatus.InProgress, OrderStatus.Shipped) => true,
        (OrderStatus.Shipped, OrderStatus.Delivered) => true,
        // Once goods have left, the order is settled by a correction or return, not by cancelling it.
        (OrderStatus.Accepted or OrderStatus.InProgress, OrderStatus.Cancelled) => true,
        _ => false,
    };
}

/// <summary>One move of an order's status (the order's history, shown on the order and on the customer's timeline).</summary>
public sealed class OrderStatusChange
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrderId { get; init; }
    /// <summary>Null for the order's creation (it starts Accepted).</summary>
    public OrderStatus? From { get; init; }
    public OrderStatus To { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>Who moved it: the user's name, or "shop"/"system" for automatic moves.</summary>
    public string? Actor { get; init; }
    public string? TrackingNumber { get; init; }
    public string? Carrier { get; init; }
}

/// <summary>One ordered line: the same fields as an invoice line.</summary>
public sealed class OrderLine : PricedLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrderId { get; init; }
}
