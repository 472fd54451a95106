using Kontor.Catalog;

namespace Kontor.Sales;

/// <summary>
/// What every sales document line says — what, how many, at what price, discount and VAT rate — so
/// invoices, offers, orders and recurring templates carry the same fields and copy them one to one.
/// Not an entity of its own: each document keeps its lines in its own table.
/// </summary>
public abstract class LineTerms
{
    public int Position { get; set; }
    public Guid? ProductId { get; set; }
    public string Description { get; set; } = "";
    public string Unit { get; set; } = "szt.";
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal DiscountPercent { get; set; }
    public string VatRateCode { get; set; } = "";
}

/// <summary>A line whose VAT rate is resolved and whose values are computed by <see cref="InvoiceCalculator"/>.</summary>
public abstract class PricedLine : LineTerms
{
    public VatRateKind VatKind { get; set; }
    public decimal VatPercent { get; set; }
    public decimal Net { get; set; }
    public decimal Vat { get; set; }
    public decimal Gross { get; set; }
}
