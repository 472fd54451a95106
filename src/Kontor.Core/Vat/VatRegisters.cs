using System.Globalization;
using System.Text;
using Kontor.Catalog;
using Kontor.Common;
using Kontor.Persistence;
using Kontor.Purchases;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Vat;

/// <summary>A month of VAT (rok, miesiąc); registers and JPK_V7M are per month.</summary>
public readonly record struct VatPeriod(int Year, int Month)
{
    public DateOnly From => new(Year, Month, 1);
    public DateOnly To => From.AddMonths(1).AddDays(-1);
    public bool Contains(DateOnly date) => date.Year == Year && date.Month == Month;
    public override string ToString() => $"{Year:D4}-{Month:D2}";

    public static VatPeriod Parse(int year, int month)
    {
        var errors = new ValidationErrors();
        errors.Require(year is >= 2000 and <= 2100, "year", "year must be between 2000 and 2100.");
        errors.Require(month is >= 1 and <= 12, "month", "month must be between 1 and 12.");
        errors.ThrowIfAny();
        return new VatPeriod(year, month);
    }
}

/// <summary>One VAT rate's figures on a register row, in PLN (the book currency), signed (negative on a decreasing correction).</summary>
public sealed record VatRateAmounts(string VatRateCode, VatRateKind Kind, decimal Percent, decimal Net, decimal Vat);

public sealed record SalesRegisterRow(int Lp, Guid InvoiceId, string Number, InvoiceKind Kind, string? CorrectedNumber, DateOnly IssueDate, DateOnly? SaleDate,
    string BuyerName, string? BuyerTaxId, string BuyerCountryCode, string Currency, decimal? ExchangeRate, IReadOnlyList<VatRateAmounts> Rates, decimal Net, decimal Vat,
    bool BuyerIsConsumer = false);

public sealed record PurchaseRegisterRow(int Lp, Guid PurchaseInvoiceId, string Number, PurchaseInvoiceKind Kind, string? CorrectedNumber, DateOnly IssueDate,
    DateOnly ReceiptDate, string SupplierName, string? SupplierTaxId, string SupplierCountryCode, string Currency, decimal? ExchangeRate,
    decimal FixedAssetNet, decimal FixedAssetVat, decimal OtherNet, decimal OtherVat)
{
    public decimal Net => FixedAssetNet + OtherNet;
    public decimal DeductibleVat => FixedAssetVat + OtherVat;
}

public sealed record SalesRegister(VatPeriod Period, IReadOnlyList<SalesRegisterRow> Rows, IReadOnlyList<VatRateAmounts> Totals, decimal Net, decimal Vat);

public sealed record PurchaseRegister(VatPeriod Period, IReadOnlyList<PurchaseRegisterRow> Rows, decimal FixedAssetNet, decimal FixedAssetVat,
    decimal OtherNet, decimal OtherVat)
{
    public decimal DeductibleVat => FixedAssetVat + OtherVat;
}

/// <summary>
/// VAT registers per month (docs/vat.md). Sales: every issued VAT invoice and correction whose tax point falls in the
/// month — a VAT invoice's sale date (else its issue date), a correction's issue date — with per-rate net and VAT in
/// PLN: PLN invoices as issued, foreign-currency invoices with the VAT they state in PLN and the net converted at their
/// own rate. Corrections are rows of their own with the signed difference. Purchases: booked purchase invoices and
/// corrections with deductible VAT, in the month of their receipt date, with the PLN figures they were booked with.
/// </summary>
public sealed class VatRegisters(KontorDbContext db)
{
    public async Task<SalesRegister> SalesAsync(VatPeriod period, CancellationToken ct = default)
    {
        // Candidates by either date; the tax point rule is applied below.
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.VatTotals)
            .Where(i => i.Status == InvoiceStatus.Issued
                && ((i.IssueDate >= period.From && i.IssueDate <= period.To) || (i.SaleDate >= period.From && i.SaleDate <= period.To)))
            .ToListAsync(ct);
        var rows = new List<SalesRegisterRow>();
        foreach (var invoice in invoices.Where(i => period.Contains(TaxPoint(i)))
                     .OrderBy(TaxPoint).ThenBy(i => i.IssueDate).ThenBy(i => i.IssuedAt).ThenBy(i => i.Number, StringComparer.Ordinal))
        {
            var currency = Currency.Parse(invoice.Currency);
            var pln = Currency.Parse("PLN");
            var rates = new List<VatRateAmounts>();
            foreach (var total in invoice.VatTotals.OrderBy(t => t.VatKind).ThenByDescending(t => t.VatPercent))
            {
                var net = invoice.Kind == InvoiceKind.Correction ? total.NetDifference : total.Net;
                var vat = invoice.Kind == InvoiceKind.Correction ? total.VatDifference : total.Vat;
                if (invoice.ExchangeRate is { } rate && currency.Code != "PLN")
                {
                    net = Money.RoundToMinorUnits(net * rate, pln);
                    vat = total.VatInBaseCurrency ?? Money.RoundToMinorUnits(vat * rate, pln);
                }
                if (net == 0 && vat == 0) continue;
                rates.Add(new VatRateAmounts(total.VatRateCode, total.VatKind, total.VatPercent, net, vat));
            }
            if (rates.Count == 0) continue;
            rows.Add(new SalesRegisterRow(rows.Count + 1, invoice.Id, invoice.Number!, invoice.Kind, invoice.CorrectedInvoiceNumber, invoice.IssueDate!.Value,
                invoice.SaleDate, invoice.Buyer?.Name ?? "", invoice.Buyer?.TaxId, invoice.Buyer?.CountryCode ?? "PL", invoice.Currency, invoice.ExchangeRate,
                rates, rates.Sum(r => r.Net), rates.Sum(r => r.Vat), invoice.BuyerIsConsumer));
        }
        var totals = rows.SelectMany(r => r.Rates).GroupBy(r => (r.VatRateCode, r.Kind, r.Percent))
            .OrderBy(g => g.Key.Kind).ThenByDescending(g => g.Key.Percent)
            .Select(g => new VatRateAmounts(g.Key.VatRateCode, g.Key.Kind, g.Key.Percent, g.Sum(r => r.Net), g.Sum(r => r.Vat))).ToList();
        return new SalesRegister(period, rows, totals, rows.Sum(r => r.Net), rows.Sum(r => r.Vat));
    }

    /// <summary>The month a sales document belongs to: supply for a VAT invoice (art. 19a ust. 1), issue for a correction.</summary>
    public static DateOnly TaxPoint(Invoice invoice) =>
        invoice.Kind == InvoiceKind.Correction ? invoice.IssueDate!.Value : invoice.SaleDate ?? invoice.IssueDate!.Value;

    public async Task<PurchaseRegister> PurchasesAsync(VatPeriod period, CancellationToken ct = default)
    {
        var invoices = await db.PurchaseInvoices.AsNoTracking().Include(p => p.Lines)
            .Where(p => p.Status == PurchaseInvoiceStatus.Booked && p.ReceiptDate >= period.From && p.ReceiptDate <= period.To && p.DeductibleVatBase != 0)
            .OrderBy(p => p.ReceiptDate).ThenBy(p => p.BookedAt)
            .ToListAsync(ct);
        var rows = new List<PurchaseRegisterRow>();
        foreach (var p in invoices)
        {
            // Only lines with a deduction belong to the register; the net beside the deducted VAT is theirs.
            var deducted = p.Lines.Where(l => l.Deduction != VatDeduction.None && l.DeductibleVatBase != 0).ToList();
            var fixedAssets = deducted.Where(l => l.IsFixedAsset).ToList();
            var other = deducted.Where(l => !l.IsFixedAsset).ToList();
            rows.Add(new PurchaseRegisterRow(rows.Count + 1, p.Id, p.SupplierInvoiceNumber, p.Kind, p.CorrectedInvoiceNumber, p.IssueDate, p.ReceiptDate,
                p.SupplierName ?? "", p.SupplierTaxId, p.SupplierCountryCode ?? "PL", p.Currency, p.ExchangeRate,
                fixedAssets.Sum(l => l.NetBase ?? 0), fixedAssets.Sum(l => l.DeductibleVatBase ?? 0),
                other.Sum(l => l.NetBase ?? 0), other.Sum(l => l.DeductibleVatBase ?? 0)));
        }
        return new PurchaseRegister(period, rows, rows.Sum(r => r.FixedAssetNet), rows.Sum(r => r.FixedAssetVat), rows.Sum(r => r.OtherNet), rows.Sum(r => r.OtherVat));
    }

    private static readonly string[] SalesRates = ["23", "8", "5", "0", "zw", "np", "oo"];

    /// <summary>
    /// The sales register as CSV for programs (the XLSX is for people): semicolon-separated, invariant numbers, UTF-8
    /// without a BOM, CRLF (RFC 4180); one row per document, a column pair per Polish rate.
    /// </summary>
    public static byte[] SalesCsv(SalesRegister register)
    {
        var csv = new StringBuilder();
        Csv.WriteRow(csv, ["Lp", "Number", "Kind", "CorrectedNumber", "IssueDate", "SaleDate", "BuyerName", "BuyerTaxId", "BuyerCountry", "Currency", "ExchangeRate",
            .. SalesRates.SelectMany(code => new[] { $"Net{code}", $"Vat{code}" }), "Net", "Vat"]);
        foreach (var r in register.Rows)
            Csv.WriteRow(csv, [r.Lp.ToString(CultureInfo.InvariantCulture), r.Number, r.Kind.ToString(), r.CorrectedNumber, Date(r.IssueDate), Date(r.SaleDate),
                r.BuyerName, r.BuyerTaxId, r.BuyerCountryCode, r.Currency, r.ExchangeRate?.ToString(CultureInfo.InvariantCulture),
                .. SalesRates.SelectMany(code =>
                {
                    var rate = r.Rates.Where(x => x.VatRateCode == code).ToList();
                    return new[] { Amount(rate.Sum(x => x.Net)), Amount(rate.Sum(x => x.Vat)) };
                }),
                Amount(r.Net), Amount(r.Vat)]);
        return Csv.Encode(csv, byteOrderMark: false);
    }

    public static byte[] PurchasesCsv(PurchaseRegister register)
    {
        var csv = new StringBuilder();
        Csv.WriteRow(csv, ["Lp", "Number", "Kind", "CorrectedNumber", "IssueDate", "ReceiptDate", "SupplierName", "SupplierTaxId", "SupplierCountry", "Currency", "ExchangeRate",
            "FixedAssetNet", "FixedAssetVat", "OtherNet", "OtherVat", "DeductibleVat"]);
        foreach (var r in register.Rows)
            Csv.WriteRow(csv, [r.Lp.ToString(CultureInfo.InvariantCulture), r.Number, r.Kind.ToString(), r.CorrectedNumber, Date(r.IssueDate), Date(r.ReceiptDate),
                r.SupplierName, r.SupplierTaxId, r.SupplierCountryCode, r.Currency, r.ExchangeRate?.ToString(CultureInfo.InvariantCulture),
                Amount(r.FixedAssetNet), Amount(r.FixedAssetVat), Amount(r.OtherNet), Amount(r.OtherVat), Amount(r.DeductibleVat)]);
        return Csv.Encode(csv, byteOrderMark: false);
    }

    private static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
