using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Catalog.Pricing;

/// <summary>
/// Records on a document line where its price and discount came from, and audits a person's override.
/// Used by the one line-building path (<see cref="InvoiceService"/>) that offers, orders and recurring
/// templates share, and by each document's save for the audit (the entry names the document).
/// </summary>
public static class LineSources
{
    public const string OverrideAction = "pricing.manual-override";

    /// <summary>
    /// Sets the sources of a built line. <paramref name="recorded"/> (a line copied from another document) is kept
    /// as it is. Otherwise the line's price/discount is compared with what pricing gives: equal → pricing's source;
    /// different (or pricing has none) → Manual, with the automatic value it replaced.
    /// </summary>
    /// <param name="automatic">Pricing's answer for a product line; null for a line without a product.</param>
    /// <param name="automaticUnitPrice">Pricing's price as the document states prices (gross in Gross mode); null when there is none.</param>
    public static void Decide(LineTerms line, RecordedPricing? recorded, LinePrice? automatic, decimal? automaticUnitPrice)
    {
        if (recorded is not null)
        {
            line.PriceSource = recorded.PriceSource;
            line.PriceSourceName = recorded.PriceSourceName;
            line.AutomaticUnitPrice = recorded.AutomaticUnitPrice;
            line.DiscountSource = recorded.DiscountSource;
            line.DiscountSourceName = recorded.DiscountSourceName;
            line.AutomaticDiscountPercent = recorded.AutomaticDiscountPercent;
            line.PricingCarriedOver = true;
            return;
        }
        if (automaticUnitPrice is not null && line.UnitPrice == automaticUnitPrice)
            (line.PriceSource, line.PriceSourceName, line.AutomaticUnitPrice) = (automatic!.PriceSource, automatic.PriceSourceName, null);
        else
            (line.PriceSource, line.PriceSourceName, line.AutomaticUnitPrice) = (PriceSource.Manual, null, automaticUnitPrice);

        if (automatic is not null && line.DiscountPercent == automatic.DiscountPercent)
            (line.DiscountSource, line.DiscountSourceName, line.AutomaticDiscountPercent) = (automatic.DiscountSource, automatic.DiscountSourceName, null);
        else if (automatic is null && line.DiscountPercent == 0)
            (line.DiscountSource, line.DiscountSourceName, line.AutomaticDiscountPercent) = (DiscountSource.None, null, null);
        else
            (line.DiscountSource, line.DiscountSourceName, line.AutomaticDiscountPercent) = (DiscountSource.Manual, null, automatic?.DiscountPercent);
    }

    /// <summary>
    /// One audit entry per line whose price or discount a person set against pricing, naming the document, the line,
    /// the automatic and the manual value. Lines copied from another document were audited there; on a draft's
    /// update an override already saved on the same line (same product, same values) is not audited again.
    /// </summary>
    public static void AuditOverrides(AuditTrail audit, string documentType, Guid documentId, IEnumerable<LineTerms> lines, IEnumerable<LineTerms>? previous = null)
    {
        var before = (previous ?? []).GroupBy(l => l.Position).ToDictionary(g => g.Key, g => g.First());
        foreach (var line in lines.OrderBy(l => l.Position))
        {
            if (line.PricingCarriedOver) continue;
            var old = before.GetValueOrDefault(line.Position);
            var sameProduct = old is not null && old.ProductId == line.ProductId;
            var priceOverride = line.PriceSource == PriceSource.Manual && line.AutomaticUnitPrice is not null
                && !(sameProduct && old!.PriceSource == PriceSource.Manual && old.UnitPrice == line.UnitPrice && old.AutomaticUnitPrice == line.AutomaticUnitPrice);
            var discountOverride = line.DiscountSource == DiscountSource.Manual && line.AutomaticDiscountPercent is not null
                && !(sameProduct && old!.DiscountSource == DiscountSource.Manual && old.DiscountPercent == line.DiscountPercent && old.AutomaticDiscountPercent == line.AutomaticDiscountPercent);
            if (!priceOverride && !discountOverride) continue;
            audit.Record(OverrideAction, documentType, documentId, new
            {
                line = line.Position,
                line.ProductId,
                line.Description,
                unitPrice = priceOverride ? new { automatic = line.AutomaticUnitPrice, manual = line.UnitPrice } : null,
                discountPercent = discountOverride ? new { automatic = line.AutomaticDiscountPercent, manual = line.DiscountPercent } : null,
            });
        }
    }
}
