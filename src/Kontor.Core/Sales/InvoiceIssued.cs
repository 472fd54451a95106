using Kontor.Events;

namespace Kontor.Sales;

/// <summary>Sales tells the rest of the system that an invoice now exists for good.</summary>
public sealed record InvoiceIssued(
    Guid InvoiceId,
    string Number,
    Guid PartyId,
    DateOnly IssueDate,
    DateOnly DueDate,
    string Currency,
    decimal Net,
    decimal Vat,
    decimal Gross) : IDomainEvent;
