using Kontor.Offers;
using Kontor.Orders;
using Kontor.Sales;

namespace Kontor.Documents;

/// <summary>A document that is not an invoice but prints through the same layout (docs/decisions.md §19).</summary>
public enum SalesDocumentKind { Offer, Order }

/// <summary>
/// What an offer or an order prints instead of an invoice's legal fields: its own title, its date, the offer's
/// validity or the order's status. A print with this set carries no invoice wording (no date of supply, no
/// statutory annotations, "offer value" rather than "amount due").
/// </summary>
/// <param name="DocumentDate">Offer: the day it was sent (null for a draft). Order: the day it was taken.</param>
public sealed record SalesDocumentPrint(SalesDocumentKind Kind, DateOnly? DocumentDate, DateOnly? ValidUntil, OrderStatus? Status)
{
    /// <summary>An offer as printed: today's seller and buyer (an offer keeps no snapshot), its lines and per-rate totals.</summary>
    public static InvoicePrint FromOffer(Offer offer, PrintedParty seller, PrintedParty buyer, int paymentTermDays) =>
        Print(offer.Status == OfferStatus.Draft, offer.Number, offer.Currency, offer.PricingMode, seller, buyer, offer.Lines, offer.Notes,
            paymentTermDays, new SalesDocumentPrint(SalesDocumentKind.Offer, offer.SentOn, offer.ValidUntil, null));

    /// <summary>An order as printed: it is numbered on creation, so never a draft.</summary>
    public static InvoicePrint FromOrder(Order order, PrintedParty seller, PrintedParty buyer, int paymentTermDays) =>
        Print(false, order.Number, order.Currency, order.PricingMode, seller, buyer, order.Lines, order.Notes,
            paymentTermDays, new SalesDocumentPrint(SalesDocumentKind.Order, order.OrderedOn, null, order.Status));

    private static InvoicePrint Print(bool isDraft, string? number, string currency, PricingMode pricingMode, PrintedParty seller, PrintedParty buyer,
        IEnumerable<PricedLine> source, string? notes, int paymentTermDays, SalesDocumentPrint kind)
    {
        var ordered = source.OrderBy(l => l.Position).ToList();
        var lines = ordered.Select(l => new PrintedLine(l.Position, l.Description, l.Unit, l.Quantity, l.UnitPrice, l.DiscountPercent,
            l.VatRateCode, l.VatKind, l.VatPercent, l.Net, l.Vat, l.Gross)).ToList();
        // Offers and orders store no per-rate totals (nothing posts them): the calculator gives them from the lines,
        // exactly as the offer and order pages show them.
        var totals = InvoiceCalculator.Calculate(
            ordered.Select(l => new CalculationLine(l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRateCode, l.VatKind, l.VatPercent)).ToList(),
            pricingMode, Common.Currency.Parse(currency));
        var rows = totals.ByRate
            .OrderBy(r => r.VatKind).ThenByDescending(r => r.VatPercent).ThenBy(r => r.VatRateCode, StringComparer.Ordinal)
            .Select(r => new PrintedVatRow(r.VatRateCode, r.VatKind, r.VatPercent, r.Net, r.Vat, r.Gross))
            .ToList();
        return new InvoicePrint(isDraft, number, IssueDate: null, SaleDate: null, DueDate: null, paymentTermDays, currency, pricingMode,
            seller, buyer, lines, rows, totals.Net, totals.Vat, totals.Gross,
            string.IsNullOrWhiteSpace(notes) ? null : notes.Trim(),
            SplitPayment: false, ReverseCharge: false, SalesDocument: kind);
    }
}

/// <summary>
/// Logo, footer line and accent colour from the company's document templates (settings). Not part of the
/// document's content, so kept apart from the print model; null fields print Kontor's plain layout.
/// </summary>
public sealed record DocumentBranding(byte[]? Logo, string? FooterText, string? AccentColor)
{
    public static readonly DocumentBranding None = new(null, null, null);
}
