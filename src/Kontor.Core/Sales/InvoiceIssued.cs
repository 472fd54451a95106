using Kontor.Events;

namespace Kontor.Sales;

/// <summary>
/// Sales tells the rest of the system that an invoice now exists for good. For a correction invoice the
/// amounts are the signed difference it makes, and <paramref name="OriginalInvoiceId"/> names the VAT
/// invoice at the start of its chain (whose open items a decrease settles). A foreign-currency invoice of a Polish
/// seller carries its NBP rate and the VAT it states in PLN, which the books take as they are.
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
    decimal? VatInBaseCurrency = null) : IDomainEvent
{
    public bool IsCorrection => CorrectedInvoiceId is not null;
}
