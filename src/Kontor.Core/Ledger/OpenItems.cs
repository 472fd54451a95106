namespace Kontor.Ledger;

public enum OpenItemSide
{
    /// <summary>The party owes us: an issued invoice.</summary>
    Receivable,
    /// <summary>We owe the party or hold its money: the unallocated part of a payment (overpayment, prepayment).</summary>
    Credit,
    /// <summary>We owe a supplier: a booked purchase invoice (docs/vat.md).</summary>
    Payable,
    /// <summary>A supplier holds our money: the unallocated part of an outgoing payment, or a purchase correction beyond what was still owed.</summary>
    Prepaid,
}

/// <summary>Money received from a party (customer payment) or paid to one (supplier payment).</summary>
public enum PaymentDirection { Incoming, Outgoing }

/// <summary>
/// The money account a payment went through: the bank (130, <c>Ledger:Bank</c>) or the payment gateway's clearing account
/// (145, <c>Ledger:GatewayClearing</c>) for web-shop money the gateway has not paid out yet (docs/commerce.md "Gateway clearing").
/// Stored on the payment, so a refund can go back the way the money came without reading journal lines (decision 51).
/// </summary>
public enum PaymentVia { Bank, GatewayClearing }

/// <summary>
/// A document amount still to be settled with a party. The receivables account holds the sum; open
/// items say which documents make it up, and are written in the same transaction as the journal line.
/// </summary>
public sealed class OpenItem
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PartyId { get; init; }
    public OpenItemSide Side { get; init; }
    public string SourceType { get; init; } = "";
    public Guid SourceId { get; init; }
    public string? DocumentNumber { get; init; }
    public DateOnly DocumentDate { get; init; }
    public DateOnly? DueDate { get; init; }
    public string Currency { get; init; } = "PLN";
    public decimal Amount { get; init; }
    public decimal OpenAmount { get; set; }
    /// <summary>
    /// What the document put on the account in the book currency (PLN) — for a foreign-currency invoice its gross at
    /// the invoice's own rate, exactly as posted — and how much of that is still open. A settlement takes its share of
    /// it; the difference to what the payment credits in PLN is the realised exchange difference (docs/currencies.md).
    /// Null for items written before book amounts were kept: they realise no difference.
    /// </summary>
    public decimal? BaseAmount { get; init; }
    public decimal? OpenBaseAmount { get; set; }
    /// <summary>The day the last part was settled; with <see cref="DueDate"/> it tells whether the party paid on time.</summary>
    public DateOnly? SettledOn { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
}

public sealed class Payment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PartyId { get; init; }
    public DateOnly Date { get; init; }
    public decimal Amount { get; init; }
    public string Currency { get; init; } = "PLN";
    public string? Reference { get; init; }
    public PaymentDirection Direction { get; init; } = PaymentDirection.Incoming;
    /// <summary>The money account the payment's journal entry moved (130 or 145). Rows older than the column were filled at startup from their entry.</summary>
    public PaymentVia Via { get; init; } = PaymentVia.Bank;
    public DateTimeOffset RegisteredAt { get; init; }
    public string RegisteredBy { get; init; } = "";
    public List<PaymentAllocation> Allocations { get; init; } = [];
}

/// <summary>How much of a payment settled which open item; immutable history behind <see cref="OpenItem.OpenAmount"/>.</summary>
public sealed class PaymentAllocation
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PaymentId { get; init; }
    public Guid OpenItemId { get; init; }
    public Guid SourceId { get; init; }
    public decimal Amount { get; init; }
    public DateOnly Date { get; init; }
    /// <summary>The open item's book-currency amount this allocation settled (its share at the invoice's rate); null without book amounts.</summary>
    public decimal? SettledBaseAmount { get; set; }
    /// <summary>The payment's book-currency amount for this allocation (its share at the payment's rate).</summary>
    public decimal? PaymentBaseAmount { get; set; }
    /// <summary>
    /// The realised difference, positive a gain (Dr 201 / Cr 750), negative a loss (Dr 751 / Cr 201): PaymentBaseAmount −
    /// SettledBaseAmount for money received; SettledBaseAmount − PaymentBaseAmount for a refund of a customer's credit
    /// (paying out less PLN than the credit carried is the gain).
    /// </summary>
    public decimal? ExchangeDifference { get; set; }
}

/// <summary>
/// How much of a decreasing correction invoice settled an open item of the invoice it corrects (or of
/// an increasing correction in the same chain): the counterpart of <see cref="PaymentAllocation"/> for
/// a document that reduces what the party owes. Immutable history behind <see cref="OpenItem.OpenAmount"/>.
/// </summary>
public sealed class CorrectionSettlement
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid CorrectionId { get; init; }
    public Guid OpenItemId { get; init; }
    /// <summary>The document whose open item was reduced.</summary>
    public Guid SourceId { get; init; }
    public decimal Amount { get; init; }
    public DateOnly Date { get; init; }
    /// <summary>Like <see cref="PaymentAllocation.ExchangeDifference"/>: only rounding, since a correction keeps the invoice's rate.</summary>
    public decimal? ExchangeDifference { get; set; }
}
