using Kontor.Catalog;
using Kontor.Common;

namespace Kontor.Sales;

/// <summary>
/// Cancelled: a draft (any kind) or a pro forma (draft or issued) withdrawn with a reason (docs/decisions.md §23).
/// An issued VAT, advance, final or correction invoice is never cancelled: only a correction changes it.
/// </summary>
public enum InvoiceStatus { Draft, Issued, Cancelled }

/// <summary>
/// Vat: a VAT invoice. Correction: faktura korygująca (art. 106j, docs/decisions.md §15).
/// ProForma: a payment request that is NOT a tax document (numbered in its own series, never posted, §23).
/// Advance: faktura zaliczkowa (art. 106f) for a prepayment received against an order; Final: the
/// final invoice (faktura końcowa) of that order, which deducts the advances (§24).
/// </summary>
public enum InvoiceKind { Vat, Correction, ProForma, Advance, Final }

/// <summary>
/// A VAT invoice. A draft may change freely; issuing fixes its number, dates, the seller's and buyer's
/// data and totals for good. After that the invoice is immutable and only a correction changes it.
/// </summary>
public sealed class Invoice
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public InvoiceStatus Status { get; set; }
    public string? Number { get; set; }
    public Guid SeriesId { get; set; }
    public Guid PartyId { get; set; }
    public string Currency { get; set; } = "PLN";
    public PricingMode PricingMode { get; set; }
    /// <summary>Set on issue unless the draft fixed it.</summary>
    public DateOnly? IssueDate { get; set; }
    /// <summary>Date of supply (data sprzedaży); defaults to the issue date.</summary>
    public DateOnly? SaleDate { get; set; }
    public DateOnly? DueDate { get; set; }
    /// <summary>Overrides the party's payment term when set.</summary>
    public int? PaymentTermDays { get; set; }
    public string? Notes { get; set; }
    public decimal TotalNet { get; set; }
    public decimal TotalVat { get; set; }
    public decimal TotalGross { get; set; }
    public PartySnapshot? Seller { get; set; }
    public PartySnapshot? Buyer { get; set; }
    /// <summary>
    /// A sale to a consumer (a person without a tax id), decided at issue from the buyer: the print shows a simplified
    /// buyer block (no tax id line) and gross line prices; the VAT register/JPK show "BRAK" for the buyer's number
    /// (docs/commerce.md, "Consumer invoices").
    /// </summary>
    public bool BuyerIsConsumer { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? IssuedAt { get; set; }
    /// <summary>The marketing campaign this sale is attributed to (docs/crm.md, "Campaigns"); carried into the documents made of it.</summary>
    public Guid? CampaignId { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<InvoiceLine> Lines { get; init; } = [];
    public List<InvoiceVatTotal> VatTotals { get; init; } = [];

    public Money Gross => Money.Of(TotalGross, Currency);

    // Correction invoices (docs/decisions.md §15). On a correction the lines and VAT totals hold the state
    // AFTER the correction with the state before it beside them (Before* fields), while TotalNet/Vat/Gross
    // hold the signed DIFFERENCE: what the correction charges (> 0) or gives back (< 0), what the ledger posts.
    public InvoiceKind Kind { get; set; } = InvoiceKind.Vat;
    /// <summary>The document whose state this correction changes: the invoice, or the latest correction of it.</summary>
    public Guid? CorrectedInvoiceId { get; set; }
    /// <summary>The VAT invoice at the start of the chain of corrections (equal to <see cref="CorrectedInvoiceId"/> for a first correction).</summary>
    public Guid? OriginalInvoiceId { get; set; }
    /// <summary>Number and issue date of the corrected document, as the correction must state them.</summary>
    public string? CorrectedInvoiceNumber { get; set; }
    public DateOnly? CorrectedInvoiceIssueDate { get; set; }
    /// <summary>Przyczyna korekty: required on a correction.</summary>
    public string? CorrectionReason { get; set; }

    // Foreign-currency invoices of a Polish seller (art. 31a, art. 106e ust. 11; docs/currencies.md): the NBP rate
    // fixed at issue and the VAT converted with it. Null on PLN invoices and on drafts.
    /// <summary>PLN per one unit of <see cref="Currency"/> (NBP table A mid), up to 10 decimals.</summary>
    public decimal? ExchangeRate { get; set; }
    /// <summary>The NBP table the rate comes from, e.g. "219/A/NBP/2026".</summary>
    public string? ExchangeRateTable { get; set; }
    /// <summary>The table's effective date: the last business day before the tax point.</summary>
    public DateOnly? ExchangeRateDate { get; set; }
    /// <summary>Sum of the per-rate <see cref="InvoiceVatTotal.VatInBaseCurrency"/> (on a correction: of their differences).</summary>
    public decimal? VatInBaseCurrency { get; set; }

    // Cancellation (drafts, pro formas; docs/decisions.md §23).
    public string? CancellationReason { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }

    // Advance and final invoices (docs/decisions.md §24). Lines are the order's lines (what was ordered, the order's
    // value); the VAT totals and TotalNet/Vat/Gross are what THIS document charges: the advance received, split per
    // rate, or on a final invoice the order's figures less the advances'. An advance's SaleDate is the day the
    // payment was received (its tax point, art. 19a ust. 8).
    /// <summary>The order an advance or final invoice settles.</summary>
    public Guid? OrderId { get; set; }
    public string? OrderNumber { get; set; }
    /// <summary>The order's value (net, VAT, gross) as it stood when the document was made, printed on it.</summary>
    public decimal? OrderTotalNet { get; set; }
    public decimal? OrderTotalVat { get; set; }
    public decimal? OrderTotalGross { get; set; }
    /// <summary>On a final invoice: the advance invoices it deducts, one row per advance and VAT rate.</summary>
    public List<InvoiceAdvanceDeduction> AdvanceDeductions { get; init; } = [];

    /// <summary>A tax document: posted to the ledger, shown in invoice lists and the customer card. Pro formas are not.</summary>
    public bool IsTaxDocument => Kind != InvoiceKind.ProForma;

    /// <summary>What a final invoice deducts: the sum of its advances' net (the ledger moves it from advances received to revenue).</summary>
    public decimal AdvancesNet => AdvanceDeductions.Sum(d => d.Net);
}

/// <summary>
/// One VAT rate of one advance invoice deducted on a final invoice: the advance's number, date and per-rate
/// figures as they stood when the final invoice was made (a snapshot, so the issued final invoice prints the same forever).
/// </summary>
public sealed class InvoiceAdvanceDeduction
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid InvoiceId { get; init; }
    public Guid AdvanceInvoiceId { get; init; }
    public string AdvanceNumber { get; init; } = "";
    public DateOnly AdvanceIssueDate { get; init; }
    public string VatRateCode { get; init; } = "";
    public VatRateKind VatKind { get; init; }
    public decimal VatPercent { get; init; }
    public decimal Net { get; init; }
    public decimal Vat { get; init; }
    public decimal Gross { get; init; }
}

public sealed class InvoiceLine : PricedLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid InvoiceId { get; init; }

    // On a correction: the line as the corrected document had it (null on a VAT invoice). The line itself is the state after.
    public decimal? BeforeQuantity { get; set; }
    public decimal? BeforeUnitPrice { get; set; }
    public decimal? BeforeDiscountPercent { get; set; }
    public string? BeforeVatRateCode { get; set; }
    public decimal? BeforeVatPercent { get; set; }
    public decimal? BeforeNet { get; set; }
    public decimal? BeforeVat { get; set; }
    public decimal? BeforeGross { get; set; }

    // What a correction changed on this line: after − before (derived, not stored).
    public decimal QuantityDifference => Quantity - (BeforeQuantity ?? 0);
    public decimal NetDifference => Net - (BeforeNet ?? 0);
    public decimal VatDifference => Vat - (BeforeVat ?? 0);
    public decimal GrossDifference => Gross - (BeforeGross ?? 0);
    public bool IsChangedByCorrection =>
        Quantity != BeforeQuantity || UnitPrice != BeforeUnitPrice || DiscountPercent != BeforeDiscountPercent || VatRateCode != BeforeVatRateCode;
}

/// <summary>Net, VAT and gross of one rate: the figures the law asks for and the ledger posts.</summary>
public sealed class InvoiceVatTotal
{
    public Guid InvoiceId { get; init; }
    public string VatRateCode { get; init; } = "";
    public VatRateKind VatKind { get; init; }
    public decimal VatPercent { get; init; }
    public decimal Net { get; init; }
    public decimal Vat { get; init; }
    public decimal Gross { get; init; }
    // On a correction: this rate's figures on the corrected document (0 for a rate the correction introduces; null on a VAT invoice).
    public decimal? BeforeNet { get; init; }
    public decimal? BeforeVat { get; init; }
    public decimal? BeforeGross { get; init; }
    /// <summary>
    /// This rate's VAT in PLN at the invoice's <see cref="Invoice.ExchangeRate"/>, rounded to the grosz (null on PLN invoices).
    /// On a correction: the difference (Vat − BeforeVat) converted, as the correction states it.
    /// </summary>
    public decimal? VatInBaseCurrency { get; set; }

    // What a correction changed at this rate: after − before (derived, not stored).
    public decimal NetDifference => Net - (BeforeNet ?? 0);
    public decimal VatDifference => Vat - (BeforeVat ?? 0);
    public decimal GrossDifference => Gross - (BeforeGross ?? 0);
}

/// <summary>A party's data as it stood when the document was issued.</summary>
public sealed class PartySnapshot
{
    public string Name { get; set; } = "";
    public string? TaxId { get; set; }
    public string? Street { get; set; }
    public string? PostalCode { get; set; }
    public string? City { get; set; }
    public string CountryCode { get; set; } = "PL";
    public string? BankAccount { get; set; }
}
