using Kontor.Catalog;
using Kontor.Catalog.Pricing;
using Kontor.Sales;

namespace Kontor.Web.Components.Shared;

/// <summary>
/// One invoice or offer line as the person is typing it: the fields are text, so a half-typed number stays
/// on screen instead of being lost; the service's figures for it arrive with the live preview.
/// </summary>
public sealed class EditableLine
{
    public string? ProductId { get; set; }
    public string? Description { get; set; }
    public string? Quantity { get; set; }
    public string? Unit { get; set; }
    public string? UnitPrice { get; set; }
    public string? Discount { get; set; }
    public string VatRateCode { get; set; } = "";
    /// <summary>The line's net and gross from the last preview; none while it is incomplete or refused.</summary>
    public CalculatedLine? Result { get; set; }
    /// <summary>Why the service refused the line in the last preview.</summary>
    public string? Problem { get; set; }

    // What pricing gives this line (customer price, price group, list price; best discount rule), shown as badges.
    // The service decides the recorded source on save by the same comparison; these only say it beforehand.
    /// <summary>Pricing's price as this document states prices; null when there is none (or in gross mode, where the service derives it).</summary>
    public decimal? AutoPrice { get; set; }
    public PriceSource? AutoPriceSource { get; set; }
    public string? AutoPriceSourceName { get; set; }
    /// <summary>Pricing's discount; null when the line was not priced (free text, or saved before pricing existed).</summary>
    public decimal? AutoDiscount { get; set; }
    public DiscountSource? AutoDiscountSource { get; set; }
    public string? AutoDiscountSourceName { get; set; }
    /// <summary>The line was priced (quote or saved sources), so its badges can be shown.</summary>
    public bool Priced { get; set; }

    public bool HasProduct => ProductId is { Length: > 0 };

    /// <summary>Counts the quotes asked for this line, so a slower, older answer cannot overwrite a newer one.</summary>
    public int QuoteGeneration { get; set; }

    /// <summary>A price typed over pricing's (or typed where pricing has none).</summary>
    public bool PriceIsManual => HasProduct && Priced && !string.IsNullOrWhiteSpace(UnitPrice)
                                 && (AutoPrice is null || !Ui.TryParseDecimal(UnitPrice, out var typed) || typed != AutoPrice);

    public bool DiscountIsManual => HasProduct && Priced && AutoDiscount is { } auto
                                    && (Ui.TryParseDecimal(Discount, out var typed) ? typed : string.IsNullOrWhiteSpace(Discount) ? 0 : -1) != auto;

    /// <summary>Takes a fresh quote; the price and discount follow it unless the person typed their own.</summary>
    public void ApplyQuote(LinePrice quote, bool netPrices)
    {
        saved = null; // priced anew: the service decides the sources again
        var priceWasAutomatic = !PriceIsManual;
        var discountWasAutomatic = !DiscountIsManual;
        AutoPrice = netPrices ? quote.UnitPrice : null;
        AutoPriceSource = quote.PriceSource;
        AutoPriceSourceName = quote.PriceSourceName;
        AutoDiscount = quote.DiscountPercent;
        AutoDiscountSource = quote.DiscountSource;
        AutoDiscountSourceName = quote.DiscountSourceName;
        Priced = true;
        // A gross price needs the VAT arithmetic: left empty, the document's service derives it from pricing.
        if (priceWasAutomatic) UnitPrice = AutoPrice is { } price ? Ui.Editable(price) : null;
        if (discountWasAutomatic) Discount = quote.DiscountPercent == 0 ? null : Ui.Editable(quote.DiscountPercent);
    }

    // The saved line as loaded; while the person leaves it as it was, saving passes its recorded sources on
    // (the agreed price stays agreed even if pricing changed since), instead of the service deciding them again.
    private LineTerms? saved;

    private bool UnchangedSinceSaved =>
        saved is not null && ProductId == saved.ProductId?.ToString()
        && Ui.TryParseDecimal(Quantity, out var quantity) && quantity == saved.Quantity
        && Ui.TryParseDecimal(UnitPrice, out var price) && price == saved.UnitPrice
        && (Ui.TryParseDecimal(Discount, out var discount) ? discount : string.IsNullOrWhiteSpace(Discount) ? 0 : -1) == saved.DiscountPercent;

    /// <summary>A saved line's recorded sources, so the editor shows them and notices a change.</summary>
    public EditableLine WithSavedSources(LineTerms saved)
    {
        if (saved.ProductId is null || saved.PriceSource is null) return this;
        this.saved = saved;
        Priced = true;
        var manualPrice = saved.PriceSource == PriceSource.Manual;
        AutoPrice = manualPrice ? saved.AutomaticUnitPrice : saved.UnitPrice;
        AutoPriceSource = manualPrice ? null : saved.PriceSource;
        AutoPriceSourceName = saved.PriceSourceName;
        var manualDiscount = saved.DiscountSource == DiscountSource.Manual;
        AutoDiscount = manualDiscount ? saved.AutomaticDiscountPercent : saved.DiscountPercent;
        AutoDiscountSource = manualDiscount ? null : saved.DiscountSource;
        AutoDiscountSourceName = saved.DiscountSourceName;
        return this;
    }

    /// <summary>A new line starts with the preferred rate (the company's default) when it is offered, else the first offered.</summary>
    public static EditableLine New(IReadOnlyList<VatRate> rates, string? preferredVatRateCode = null) => new()
    {
        Quantity = "1",
        VatRateCode = rates.FirstOrDefault(r => r.Code == preferredVatRateCode)?.Code ?? rates.FirstOrDefault()?.Code ?? "",
    };

    /// <summary>A saved line as the person typed it: the figures in the culture's notation, no discount shown as empty.</summary>
    /// <summary>A saved line with the sources of its price and discount.</summary>
    public static EditableLine Saved(LineTerms line) =>
        Saved(line.ProductId, line.Description, line.Quantity, line.Unit, line.UnitPrice, line.DiscountPercent, line.VatRateCode).WithSavedSources(line);

    public static EditableLine Saved(Guid? productId, string description, decimal quantity, string unit, decimal unitPrice, decimal discountPercent, string vatRateCode) => new()
    {
        ProductId = productId?.ToString(),
        Description = description,
        Quantity = Ui.Editable(quantity),
        Unit = unit,
        UnitPrice = Ui.Editable(unitPrice),
        Discount = discountPercent == 0 ? null : Ui.Editable(discountPercent),
        VatRateCode = vatRateCode,
    };

    /// <summary>Enough is typed to ask the service for figures; a line still being typed is left out of the preview.</summary>
    public bool IsComplete =>
        (!string.IsNullOrWhiteSpace(Description) || ProductId is { Length: > 0 })
        && Ui.TryParseDecimal(Quantity, out var quantity) && quantity != 0
        && (Ui.TryParseDecimal(UnitPrice, out _) || (string.IsNullOrWhiteSpace(UnitPrice) && ProductId is { Length: > 0 }))
        && (string.IsNullOrWhiteSpace(Discount) || Ui.TryParseDecimal(Discount, out _));

    public bool QuantityUnreadable => IsUnreadable(Quantity);
    public bool UnitPriceUnreadable => IsUnreadable(UnitPrice);
    public bool DiscountUnreadable => IsUnreadable(Discount);

    public InvoiceLineInput ToInput() => new(
        Guid.TryParse(ProductId, out var productId) ? productId : null,
        string.IsNullOrWhiteSpace(Description) ? null : Description,
        Ui.TryParseDecimal(Quantity, out var quantity) ? quantity : 0,
        Ui.TryParseDecimal(UnitPrice, out var price) ? price : null,
        Ui.TryParseDecimal(Discount, out var discount) ? discount : null,
        VatRateCode,
        string.IsNullOrWhiteSpace(Unit) ? null : Unit)
    {
        Recorded = UnchangedSinceSaved ? saved!.RecordedPricing() : null,
    };

    // What cannot even be read as a number must not silently become "no price" or "no discount".
    private static bool IsUnreadable(string? text) => !string.IsNullOrWhiteSpace(text) && !Ui.TryParseDecimal(text, out _);
}
