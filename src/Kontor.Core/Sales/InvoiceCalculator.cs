using Kontor.Catalog;
using Kontor.Common;

namespace Kontor.Sales;

/// <summary>Whether unit prices on an invoice are net (VAT added on top) or gross (VAT contained in them).</summary>
public enum PricingMode { Net, Gross }

public sealed record CalculationLine(decimal Quantity, decimal UnitPrice, decimal DiscountPercent, string VatRateCode, VatRateKind VatKind, decimal VatPercent);

public sealed record CalculatedLine(decimal Net, decimal Vat, decimal Gross);

public sealed record VatRateTotal(string VatRateCode, VatRateKind VatKind, decimal VatPercent, decimal Net, decimal Vat, decimal Gross);

public sealed record InvoiceTotals(IReadOnlyList<CalculatedLine> Lines, IReadOnlyList<VatRateTotal> ByRate, decimal Net, decimal Vat, decimal Gross);

/// <summary>
/// The VAT arithmetic of an invoice. Line values are rounded to the currency's minor unit; VAT is
/// computed once per rate from the sum of that rate's lines (art. 106e of the Polish VAT act, and the
/// usual practice elsewhere), so per-line VAT figures are informative and may not add up to the
/// per-rate VAT by a grosz. In <see cref="PricingMode.Gross"/> the lines carry gross values and the
/// VAT is extracted per rate from the gross sum: VAT = gross × p / (100 + p).
/// </summary>
public static class InvoiceCalculator
{
    public static decimal LineValue(decimal quantity, decimal unitPrice, decimal discountPercent, Currency currency) =>
        Money.RoundToMinorUnits(quantity * unitPrice * (100m - discountPercent) / 100m, currency);

    public static InvoiceTotals Calculate(IReadOnlyList<CalculationLine> lines, PricingMode mode, Currency currency)
    {
        var calculated = new List<CalculatedLine>(lines.Count);
        foreach (var line in lines)
        {
            var value = LineValue(line.Quantity, line.UnitPrice, line.DiscountPercent, currency);
            calculated.Add(mode == PricingMode.Net
                ? FromNet(value, line.VatPercent, currency)
                : FromGross(value, line.VatPercent, currency));
        }

        var byRate = new List<VatRateTotal>();
        foreach (var group in lines.Select((line, i) => (line, value: calculated[i]))
                     .GroupBy(x => x.line.VatRateCode, StringComparer.OrdinalIgnoreCase))
        {
            var first = group.First().line;
            var rateTotal = mode == PricingMode.Net
                ? FromNet(group.Sum(x => x.value.Net), first.VatPercent, currency)
                : FromGross(group.Sum(x => x.value.Gross), first.VatPercent, currency);
            byRate.Add(new VatRateTotal(first.VatRateCode, first.VatKind, first.VatPercent, rateTotal.Net, rateTotal.Vat, rateTotal.Gross));
        }

        return new InvoiceTotals(calculated, byRate, byRate.Sum(r => r.Net), byRate.Sum(r => r.Vat), byRate.Sum(r => r.Gross));
    }

    private static CalculatedLine FromNet(decimal net, decimal percent, Currency currency)
    {
        var vat = Money.RoundToMinorUnits(net * percent / 100m, currency);
        return new CalculatedLine(net, vat, net + vat);
    }

    private static CalculatedLine FromGross(decimal gross, decimal percent, Currency currency)
    {
        var vat = Money.RoundToMinorUnits(gross * percent / (100m + percent), currency);
        return new CalculatedLine(gross - vat, vat, gross);
    }
}
