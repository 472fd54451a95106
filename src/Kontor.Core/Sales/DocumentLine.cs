using Kontor.Catalog;
using Kontor.Catalog.Pricing;

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

    // Where the price and the discount came from (docs/decisions.md, "Pricing"). Null on lines written before pricing existed.
    public PriceSource? PriceSource { get; set; }
    /// <summary>The price group's name when <see cref="PriceSource"/> is PriceGroup.</summary>
    public string? PriceSourceName { get; set; }
    /// <summary>What pricing gave when a person entered another price (Source = Manual); null when pricing had no price to give.</summary>
    public decimal? AutomaticUnitPrice { get; set; }
    public DiscountSource? DiscountSource { get; set; }
    /// <summary>The discount rule's name when <see cref="DiscountSource"/> is a rule.</summary>
    public string? DiscountSourceName { get; set; }
    /// <summary>What pricing gave when a person entered another discount (Source = Manual).</summary>
    public decimal? AutomaticDiscountPercent { get; set; }

    /// <summary>The sources were copied from another document (conversion, recurring run), not decided now: nothing to audit again.</summary>
    internal bool PricingCarriedOver { get; set; }

    /// <summary>The recorded sources of this line, to pass on when the line is copied into another document.</summary>
    public RecordedPricing RecordedPricing() =>
        new(PriceSource, PriceSourceName, AutomaticUnitPrice, DiscountSource, DiscountSourceName, AutomaticDiscountPercent);

    /// <summary>Copies the sources (and whether they were carried over) from the line this one is made of.</summary>
    public T WithPricingOf<T>(LineTerms source) where T : LineTerms
    {
        PriceSource = source.PriceSource;
        PriceSourceName = source.PriceSourceName;
        AutomaticUnitPrice = source.AutomaticUnitPrice;
        DiscountSource = source.DiscountSource;
        DiscountSourceName = source.DiscountSourceName;
        AutomaticDiscountPercent = source.AutomaticDiscountPercent;
        PricingCarriedOver = source.PricingCarriedOver;
        return (T)this;
    }

    /// <summary>The line as the input of another document's line: the agreed price and discount, with their recorded sources.</summary>
    public InvoiceLineInput ToCopiedInput() =>
        new(ProductId, Description, Quantity, UnitPrice, DiscountPercent, VatRateCode, Unit) { Recorded = RecordedPricing() };
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
