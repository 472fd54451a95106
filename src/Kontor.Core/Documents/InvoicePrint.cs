using Kontor.Catalog;
using Kontor.Common;
using Kontor.Sales;

namespace Kontor.Documents;

/// <summary>A party as printed: the issued snapshot, or today's data for a draft.</summary>
public sealed record PrintedParty(
    string Name, TaxIdKind TaxIdKind, string? TaxId, string? Street, string? PostalCode, string? City, string CountryCode, string? BankAccount);

public sealed record PrintedLine(
    int Position, string Description, string Unit, decimal Quantity, decimal UnitPrice, decimal DiscountPercent,
    string VatRateCode, VatRateKind VatKind, decimal VatPercent, decimal Net, decimal Vat, decimal Gross);

public sealed record PrintedVatRow(string VatRateCode, VatRateKind VatKind, decimal VatPercent, decimal Net, decimal Vat, decimal Gross, decimal? VatInBaseCurrency = null);

/// <summary>
/// Art. 106e ust. 11: a foreign-currency invoice states its VAT in PLN and the NBP rate used (docs/currencies.md).
/// The per-rate PLN amounts are on <see cref="PrintedVatRow.VatInBaseCurrency"/>.
/// </summary>
public sealed record PrintedConversion(decimal Rate, string? Table, DateOnly? RateDate, string BaseCurrency, decimal VatInBaseCurrency);

/// <summary>
/// What a correction invoice prints besides an invoice's fields (art. 106j ust. 2): the corrected
/// document's number and date, the reason, and the lines before the correction. The print's own lines
/// are the state after it, its VAT rows and totals the difference.
/// </summary>
public sealed record CorrectionPrint(string? CorrectedNumber, DateOnly? CorrectedIssueDate, string? Reason, IReadOnlyList<PrintedLine> LinesBefore);

/// <summary>An advance invoice deducted on a final invoice, one VAT rate of it.</summary>
public sealed record PrintedAdvance(string Number, DateOnly IssueDate, string VatRateCode, VatRateKind VatKind, decimal VatPercent, decimal Net, decimal Vat, decimal Gross);

/// <summary>
/// What an advance or final invoice prints about its order (art. 106f ust. 1 pkt 3–4, ust. 3; docs/decisions.md §24):
/// the order's number and value, on an advance the amount received and when, on a final invoice the advances deducted.
/// </summary>
public sealed record SettlementPrint(string? OrderNumber, decimal OrderNet, decimal OrderVat, decimal OrderGross, decimal? AmountReceived, DateOnly? ReceivedOn,
    IReadOnlyList<PrintedAdvance> Advances);

/// <summary>
/// Everything an invoice PDF shows, decided before drawing: the renderer only lays it out.
/// <see cref="SplitPayment"/> and <see cref="ReverseCharge"/> are the statutory annotations.
/// Offers and orders print through the same model with <see cref="SalesDocument"/> set (built by
/// <see cref="SalesDocumentPrint.FromOffer"/> / <see cref="SalesDocumentPrint.FromOrder"/>).
/// </summary>
public sealed record InvoicePrint(
    bool IsDraft,
    string? Number,
    DateOnly? IssueDate,
    DateOnly? SaleDate,
    DateOnly? DueDate,
    int PaymentTermDays,
    string Currency,
    PricingMode PricingMode,
    PrintedParty Seller,
    PrintedParty Buyer,
    IReadOnlyList<PrintedLine> Lines,
    IReadOnlyList<PrintedVatRow> VatRows,
    decimal TotalNet,
    decimal TotalVat,
    decimal TotalGross,
    string? Notes,
    bool SplitPayment,
    bool ReverseCharge,
    CorrectionPrint? Correction = null,
    PrintedConversion? Conversion = null,
    SalesDocumentPrint? SalesDocument = null,
    InvoiceKind Kind = InvoiceKind.Vat,
    SettlementPrint? Settlement = null,
    bool BuyerIsConsumer = false)
{
    public static InvoicePrint From(Invoice invoice, PrintedParty seller, PrintedParty buyer, int paymentTermDays)
    {
        var lines = invoice.Lines.OrderBy(l => l.Position)
            .Select(l => new PrintedLine(l.Position, l.Description, l.Unit, l.Quantity, l.UnitPrice, l.DiscountPercent,
                l.VatRateCode, l.VatKind, l.VatPercent, l.Net, l.Vat, l.Gross))
            .ToList();
        var isCorrection = invoice.Kind == InvoiceKind.Correction;
        // A correction's summary is the difference per rate, adding up to its totals (which are the difference).
        var rows = invoice.VatTotals
            .OrderBy(v => v.VatKind).ThenByDescending(v => v.VatPercent).ThenBy(v => v.VatRateCode, StringComparer.Ordinal)
            .Select(v => isCorrection
                ? new PrintedVatRow(v.VatRateCode, v.VatKind, v.VatPercent, v.NetDifference, v.VatDifference, v.GrossDifference, v.VatInBaseCurrency)
                : new PrintedVatRow(v.VatRateCode, v.VatKind, v.VatPercent, v.Net, v.Vat, v.Gross, v.VatInBaseCurrency))
            .ToList();
        var correction = isCorrection
            ? new CorrectionPrint(invoice.CorrectedInvoiceNumber, invoice.CorrectedInvoiceIssueDate, invoice.CorrectionReason,
                invoice.Lines.OrderBy(l => l.Position).Select(l => new PrintedLine(l.Position, l.Description, l.Unit, l.BeforeQuantity ?? 0, l.BeforeUnitPrice ?? 0,
                    l.BeforeDiscountPercent ?? 0, l.BeforeVatRateCode ?? l.VatRateCode, l.VatKind, l.BeforeVatPercent ?? 0, l.BeforeNet ?? 0, l.BeforeVat ?? 0, l.BeforeGross ?? 0)).ToList())
            : null;
        var settlement = invoice.Kind is InvoiceKind.Advance or InvoiceKind.Final
            ? new SettlementPrint(invoice.OrderNumber, invoice.OrderTotalNet ?? 0, invoice.OrderTotalVat ?? 0, invoice.OrderTotalGross ?? 0,
                invoice.Kind == InvoiceKind.Advance ? invoice.TotalGross : null, invoice.Kind == InvoiceKind.Advance ? invoice.SaleDate : null,
                invoice.AdvanceDeductions.OrderBy(d => d.AdvanceIssueDate).ThenBy(d => d.AdvanceNumber, StringComparer.Ordinal).ThenByDescending(d => d.VatPercent)
                    .Select(d => new PrintedAdvance(d.AdvanceNumber, d.AdvanceIssueDate, d.VatRateCode, d.VatKind, d.VatPercent, d.Net, d.Vat, d.Gross)).ToList())
            : null;
        // A pro forma is no VAT invoice: it carries none of the statutory VAT annotations.
        var taxDocument = invoice.Kind != InvoiceKind.ProForma;
        return new InvoicePrint(
            invoice.Status == InvoiceStatus.Draft, invoice.Number, invoice.IssueDate, invoice.SaleDate, invoice.DueDate, paymentTermDays,
            invoice.Currency, invoice.PricingMode, seller, buyer, lines, rows, invoice.TotalNet, invoice.TotalVat, invoice.TotalGross,
            string.IsNullOrWhiteSpace(invoice.Notes) ? null : invoice.Notes.Trim(),
            taxDocument && InvoiceAnnotations.RequiresSplitPayment(invoice.TotalGross, invoice.Currency, buyer.TaxIdKind, buyer.TaxId),
            taxDocument && InvoiceAnnotations.IsReverseCharge(lines.Select(l => l.VatKind)),
            correction,
            invoice.ExchangeRate is { } rate && invoice.VatInBaseCurrency is { } vatPln
                ? new PrintedConversion(rate, invoice.ExchangeRateTable, invoice.ExchangeRateDate, "PLN", vatPln)
                : null,
            Kind: invoice.Kind,
            Settlement: settlement,
            BuyerIsConsumer: invoice.BuyerIsConsumer);
    }
}

/// <summary>The statutory wording an invoice must carry, and when.</summary>
public static class InvoiceAnnotations
{
    /// <summary>Art. 108a ust. 1a: the split-payment obligation starts at a gross total of 15 000 PLN.</summary>
    public const decimal SplitPaymentThresholdPln = 15_000m;

    /// <summary>
    /// SIMPLIFIED rule for "mechanizm podzielonej płatności" (art. 106e ust. 1 pkt 18a): the law asks for it when
    /// the gross total is at least 15 000 PLN AND a line is goods or services from Annex 15. Products carry no
    /// Annex 15 flag yet, so this marks every PLN invoice of at least 15 000 PLN to a business buyer (one with a
    /// Polish NIP). It over-marks rather than under-marks: the annotation on a non-Annex-15 invoice is harmless,
    /// a missing one on an Annex-15 invoice costs 30 % of its VAT (art. 106e ust. 12).
    /// Invoices in other currencies are not marked until the NBP rate conversion exists. See docs/pdf.md.
    /// </summary>
    public static bool RequiresSplitPayment(decimal totalGross, string currency, TaxIdKind buyerTaxIdKind, string? buyerTaxId) =>
        string.Equals(currency, "PLN", StringComparison.OrdinalIgnoreCase)
        && totalGross >= SplitPaymentThresholdPln
        && buyerTaxIdKind == TaxIdKind.Nip
        && !string.IsNullOrWhiteSpace(buyerTaxId);

    /// <summary>Art. 106e ust. 1 pkt 18: "odwrotne obciążenie" when the buyer accounts for the VAT of any line.</summary>
    public static bool IsReverseCharge(IEnumerable<VatRateKind> lineKinds) => lineKinds.Any(k => k == VatRateKind.ReverseCharge);
}
