using Kontor.Catalog;

namespace Kontor.Purchases;

public enum PurchaseInvoiceStatus { Draft, Booked }

/// <summary>A supplier's VAT invoice, or a correction of one (a document of its own with signed amounts).</summary>
public enum PurchaseInvoiceKind { Invoice, Correction }

/// <summary>How much of a line's VAT may be deducted (art. 86 ustawy o VAT): all, a percentage (e.g. cars: 50 %), none.</summary>
public enum VatDeduction { Full, Partial, None }

/// <summary>
/// A purchase invoice (faktura zakupu) received from a supplier. A draft may change; booking posts it and fixes it
/// for good (docs/vat.md). Amounts are in the invoice's currency; the book-currency (PLN) figures are set on booking,
/// at the NBP rate of the business day before the issue date, and are what the purchase VAT register and JPK show.
/// </summary>
public sealed class PurchaseInvoice
{
    public const string DocumentType = "purchase-invoice";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public PurchaseInvoiceStatus Status { get; set; }
    public PurchaseInvoiceKind Kind { get; set; }
    public Guid SupplierId { get; set; }
    /// <summary>The supplier's own number of the document; unique per supplier.</summary>
    public string SupplierInvoiceNumber { get; set; } = "";
    public DateOnly IssueDate { get; set; }
    /// <summary>Data wpływu: when the document reached us; decides the month of the VAT deduction.</summary>
    public DateOnly ReceiptDate { get; set; }
    public DateOnly? SaleDate { get; set; }
    public DateOnly DueDate { get; set; }
    public string Currency { get; set; } = "PLN";
    public string? Notes { get; set; }

    public decimal TotalNet { get; set; }
    public decimal TotalVat { get; set; }
    public decimal TotalGross { get; set; }
    public decimal DeductibleVat { get; set; }

    // Set on booking: the rate (null for PLN) and the book-currency totals the register and the journal use.
    public decimal? ExchangeRate { get; set; }
    public string? ExchangeRateTable { get; set; }
    public DateOnly? ExchangeRateDate { get; set; }
    public decimal? TotalNetBase { get; set; }
    public decimal? TotalVatBase { get; set; }
    public decimal? DeductibleVatBase { get; set; }

    // The supplier as it stood when the invoice was booked (the register shows it as entered).
    public string? SupplierName { get; set; }
    public string? SupplierTaxId { get; set; }
    public string? SupplierCountryCode { get; set; }

    // Corrections: the purchase invoice they correct and why.
    public Guid? CorrectedInvoiceId { get; set; }
    public string? CorrectedInvoiceNumber { get; set; }
    public string? CorrectionReason { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? BookedAt { get; set; }
    public string? BookedBy { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<PurchaseInvoiceLine> Lines { get; init; } = [];
}

/// <summary>
/// One line of a purchase invoice — an item or simply one VAT rate's total — with the account it is booked to and
/// how much of its VAT is deductible. Negative on a correction that lowers the invoice.
/// </summary>
public sealed class PurchaseInvoiceLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PurchaseInvoiceId { get; init; }
    public int Position { get; init; }
    public string? Description { get; init; }
    /// <summary>Expense or asset account the net (and any non-deductible VAT) is booked to: 401, 402, 330, 010 …</summary>
    public string AccountCode { get; init; } = "";
    public string VatRateCode { get; init; } = "";
    public VatRateKind VatKind { get; init; }
    public decimal VatPercent { get; init; }
    public decimal Net { get; init; }
    public decimal Vat { get; init; }
    public decimal Gross { get; init; }
    public VatDeduction Deduction { get; init; }
    /// <summary>Percent of the VAT deductible when <see cref="Deduction"/> is Partial (0 &lt; p &lt; 100).</summary>
    public decimal? DeductiblePercent { get; init; }
    public decimal DeductibleVat { get; init; }
    // Book-currency (PLN) figures, set on booking.
    public decimal? NetBase { get; set; }
    public decimal? VatBase { get; set; }
    public decimal? DeductibleVatBase { get; set; }

    /// <summary>Fixed assets (accounts 0xx) go to K_40/K_41 of JPK_V7M, everything else to K_42/K_43.</summary>
    public bool IsFixedAsset => AccountCode.StartsWith('0');
}
