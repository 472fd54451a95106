using Kontor.Catalog;
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

    /// <summary>A new line starts with the preferred rate (the company's default) when it is offered, else the first offered.</summary>
    public static EditableLine New(IReadOnlyList<VatRate> rates, string? preferredVatRateCode = null) => new()
    {
        Quantity = "1",
        VatRateCode = rates.FirstOrDefault(r => r.Code == preferredVatRateCode)?.Code ?? rates.FirstOrDefault()?.Code ?? "",
    };

    /// <summary>A saved line as the person typed it: the figures in the culture's notation, no discount shown as empty.</summary>
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
        string.IsNullOrWhiteSpace(Unit) ? null : Unit);

    // What cannot even be read as a number must not silently become "no price" or "no discount".
    private static bool IsUnreadable(string? text) => !string.IsNullOrWhiteSpace(text) && !Ui.TryParseDecimal(text, out _);
}
