using Kontor.Catalog;
using Kontor.Common;

namespace Kontor.Sales;

public enum InvoiceStatus { Draft, Issued }

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
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? IssuedAt { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<InvoiceLine> Lines { get; init; } = [];
    public List<InvoiceVatTotal> VatTotals { get; init; } = [];

    public Money Gross => Money.Of(TotalGross, Currency);
}

public sealed class InvoiceLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid InvoiceId { get; init; }
    public int Position { get; set; }
    public Guid? ProductId { get; set; }
    public string Description { get; set; } = "";
    public string Unit { get; set; } = "szt.";
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal DiscountPercent { get; set; }
    public string VatRateCode { get; set; } = "";
    public VatRateKind VatKind { get; set; }
    public decimal VatPercent { get; set; }
    public decimal Net { get; set; }
    public decimal Vat { get; set; }
    public decimal Gross { get; set; }
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
