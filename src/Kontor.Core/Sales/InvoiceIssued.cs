using Kontor.Events;

namespace Kontor.Sales;

/// <summary>
/// Sales tells the rest of the system that an invoice now exists for good. For a correction invoice the
/// amounts are the signed difference it makes, and <paramref name="OriginalInvoiceId"/> names the VAT
/// invoice at the start of its chain (whose open items a decrease settles). A foreign-currency invoice of a Polish
/// seller carries its NBP rate and the VAT it states in PLN, which the books take as they are. For an advance invoice the
/// amounts are the advance; for a final invoice they are what remains after the advances, and
/// <paramref name="AdvancesNet"/> is the net of the advances it deducts (docs/decisions.md §24).
/// Pro formas are not tax documents and publish nothing.
/// </summary>
public sealed record InvoiceIssued(
    Guid InvoiceId,
    string Number,
    Guid PartyId,
    DateOnly IssueDate,
    DateOnly DueDate,
    string Currency,
    decimal Net,
    decimal Vat,
    decimal Gross,
    Guid? CorrectedInvoiceId = null,
    Guid? OriginalInvoiceId = null,
    Ledger.BookRate? ExchangeRate = null,
    decimal? VatInBaseCurrency = null,
    InvoiceKind Kind = InvoiceKind.Vat,
    decimal AdvancesNet = 0) : IDomainEvent
{
    public bool IsCorrection => CorrectedInvoiceId is not null;
}
