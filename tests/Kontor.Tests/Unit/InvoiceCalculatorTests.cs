using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kontor.Catalog;
using Kontor.Common;
using Kontor.Sales;

namespace Kontor.Tests.Unit;

/// <summary>The VAT arithmetic of an invoice, against figures worked out by hand.</summary>
public sealed class InvoiceCalculatorTests
{
    private static readonly Currency Pln = Currency.PLN;

    private static CalculationLine Line(decimal quantity, decimal unitPrice, string code, decimal discount = 0) => code switch
    {
        "zw" => new CalculationLine(quantity, unitPrice, discount, "zw", VatRateKind.Exempt, 0),
        _ => new CalculationLine(quantity, unitPrice, discount, code, VatRateKind.Percentage, decimal.Parse(code)),
    };

    /// <param name="Lines">Expected (net, vat, gross) per line.</param>
    /// <param name="ByRate">Expected (code, net, vat, gross) per rate.</param>
    public sealed record Case(string Name, PricingMode Mode, CalculationLine[] Input, (decimal Net, decimal Vat, decimal Gross)[] Lines,
        (string Code, decimal Net, decimal Vat, decimal Gross)[] ByRate, decimal Net, decimal Vat, decimal Gross)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases() => new()
    {
        // 3 × 0.333 = 0.999 → line value rounds to 1.00; VAT 23 % of 1.00 = 0.23; gross 1.23.
        new Case("3 x 0.333 at 23%", PricingMode.Net, [Line(3, 0.333m, "23")],
            [(1.00m, 0.23m, 1.23m)], [("23", 1.00m, 0.23m, 1.23m)], 1.00m, 0.23m, 1.23m),

        // Each line 0.10 × 5 % = 0.005 → 0.01 (half away from zero), so the lines say 0.02 of VAT;
        // per rate 0.20 × 5 % = 0.01. The invoice VAT is the per-rate figure, 0.01.
        new Case("per-rate VAT differs from the sum of per-line VAT", PricingMode.Net, [Line(1, 0.10m, "5"), Line(1, 0.10m, "5")],
            [(0.10m, 0.01m, 0.11m), (0.10m, 0.01m, 0.11m)], [("5", 0.20m, 0.01m, 0.21m)], 0.20m, 0.01m, 0.21m),

        // 1.50 × 23 % = 0.345 → 0.35 half away from zero (banker's rounding would give 0.34).
        new Case("0.345 rounds away from zero", PricingMode.Net, [Line(1, 1.50m, "23")],
            [(1.50m, 0.35m, 1.85m)], [("23", 1.50m, 0.35m, 1.85m)], 1.50m, 0.35m, 1.85m),

        // 2.50 × 5 % = 0.125 → 0.13 (banker's: 0.12).
        new Case("0.125 rounds away from zero", PricingMode.Net, [Line(1, 2.50m, "5")],
            [(2.50m, 0.13m, 2.63m)], [("5", 2.50m, 0.13m, 2.63m)], 2.50m, 0.13m, 2.63m),

        // Correction-like negative line: -1 × 1.50 × 23 % = -0.345 → -0.35 (away from zero).
        // Rate total: 20.00 − 1.50 = 18.50; 18.50 × 23 % = 4.255 → 4.26 (lines: 4.60 − 0.35 = 4.25).
        new Case("negative correction line", PricingMode.Net, [Line(2, 10.00m, "23"), Line(-1, 1.50m, "23")],
            [(20.00m, 4.60m, 24.60m), (-1.50m, -0.35m, -1.85m)], [("23", 18.50m, 4.26m, 22.76m)], 18.50m, 4.26m, 22.76m),

        // Net mode, five rates and discounts:
        //  L1 3 × 33.33 = 99.99, −10 % = 89.991 → 89.99; VAT 23 % = 20.6977 → 20.70
        //  L2 2 × 12.50 = 25.00 at 8 %; VAT 2.00
        //  L3 1 × 19.99 at 5 %; VAT 0.9995 → 1.00
        //  L4 4 × 2.50 = 10.00 at 0 %; VAT 0.00
        //  L5 1 × 100.00 zw; VAT 0.00
        //  L6 1 × 0.01 at 23 %; VAT 0.0023 → 0.00
        //  23 %: net 89.99 + 0.01 = 90.00, VAT 20.70, gross 110.70
        //  totals: net 90.00 + 25.00 + 19.99 + 10.00 + 100.00 = 244.99; VAT 20.70 + 2.00 + 1.00 = 23.70; gross 268.69
        new Case("net mode, rates 23/8/5/0/zw with a discount", PricingMode.Net,
            [Line(3, 33.33m, "23", 10), Line(2, 12.50m, "8"), Line(1, 19.99m, "5"), Line(4, 2.50m, "0"), Line(1, 100.00m, "zw"), Line(1, 0.01m, "23")],
            [(89.99m, 20.70m, 110.69m), (25.00m, 2.00m, 27.00m), (19.99m, 1.00m, 20.99m), (10.00m, 0m, 10.00m), (100.00m, 0m, 100.00m), (0.01m, 0m, 0.01m)],
            [("23", 90.00m, 20.70m, 110.70m), ("8", 25.00m, 2.00m, 27.00m), ("5", 19.99m, 1.00m, 20.99m), ("0", 10.00m, 0m, 10.00m), ("zw", 100.00m, 0m, 100.00m)],
            244.99m, 23.70m, 268.69m),

        // Gross mode: 2 × 61.50 = 123.00 gross at 23 %: VAT = 123.00 × 23 / 123 = 23.00, net 100.00.
        new Case("gross mode, 123.00 at 23%", PricingMode.Gross, [Line(2, 61.50m, "23")],
            [(100.00m, 23.00m, 123.00m)], [("23", 100.00m, 23.00m, 123.00m)], 100.00m, 23.00m, 123.00m),

        // Gross mode, three lines of 1.00 at 23 %: each line VAT 1.00 × 23/123 = 0.18699 → 0.19 (lines: 0.57);
        // per rate 3.00 × 23/123 = 0.56098 → 0.56, net 2.44.
        new Case("gross mode, per-rate extraction differs from lines", PricingMode.Gross, [Line(1, 1.00m, "23"), Line(1, 1.00m, "23"), Line(1, 1.00m, "23")],
            [(0.81m, 0.19m, 1.00m), (0.81m, 0.19m, 1.00m), (0.81m, 0.19m, 1.00m)], [("23", 2.44m, 0.56m, 3.00m)], 2.44m, 0.56m, 3.00m),

        // Gross mode, several rates:
        //  L1 2 × 61.50 = 123.00 at 23 %: VAT 23.00, net 100.00
        //  L2 1 × 10.80 at 8 %: VAT 10.80 × 8/108 = 0.80, net 10.00
        //  L3 3 × 3.33 = 9.99, −50 % = 4.995 → 5.00 at 5 %: VAT 5.00 × 5/105 = 0.238 → 0.24, net 4.76
        //  L4 1 × 50.00 zw: VAT 0, net 50.00
        //  totals: gross 188.80, VAT 24.04, net 164.76
        new Case("gross mode, rates 23/8/5/zw with a discount", PricingMode.Gross,
            [Line(2, 61.50m, "23"), Line(1, 10.80m, "8"), Line(3, 3.33m, "5", 50), Line(1, 50.00m, "zw")],
            [(100.00m, 23.00m, 123.00m), (10.00m, 0.80m, 10.80m), (4.76m, 0.24m, 5.00m), (50.00m, 0m, 50.00m)],
            [("23", 100.00m, 23.00m, 123.00m), ("8", 10.00m, 0.80m, 10.80m), ("5", 4.76m, 0.24m, 5.00m), ("zw", 50.00m, 0m, 50.00m)],
            164.76m, 24.04m, 188.80m),

        // 100 % discount: the line is worth nothing.
        new Case("full discount", PricingMode.Net, [Line(5, 9.99m, "23", 100)],
            [(0m, 0m, 0m)], [("23", 0m, 0m, 0m)], 0m, 0m, 0m),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calculates_vat_as_worked_out_by_hand(Case c)
    {
        var totals = InvoiceCalculator.Calculate(c.Input, c.Mode, Pln);

        Assert.Equal(c.Lines, totals.Lines.Select(l => (l.Net, l.Vat, l.Gross)).ToArray());
        Assert.Equal(c.ByRate.OrderBy(r => r.Code).ToArray(),
            totals.ByRate.Select(r => (r.VatRateCode, r.Net, r.Vat, r.Gross)).OrderBy(r => r.VatRateCode).ToArray());
        Assert.Equal((c.Net, c.Vat, c.Gross), (totals.Net, totals.Vat, totals.Gross));
    }

    [Fact]
    public void Exempt_and_zero_percent_are_separate_rates()
    {
        var totals = InvoiceCalculator.Calculate([Line(1, 10m, "0"), Line(1, 20m, "zw")], PricingMode.Net, Pln);

        Assert.Equal(2, totals.ByRate.Count);
        Assert.Equal(VatRateKind.Exempt, totals.ByRate.Single(r => r.VatRateCode == "zw").VatKind);
    }

    // ---- properties over random invoices ----

    private static readonly string[] Codes = ["23", "8", "5", "0", "zw"];

    public static Arbitrary<CalculationLine[]> RandomLines() =>
        (from count in Gen.Choose(1, 12)
         from lines in Gen.ArrayOf(
             from quantityThousandths in Gen.Choose(-5_000, 200_000)
             from priceHundredths in Gen.Choose(0, 5_000_000)
             from discount in Gen.Elements(0m, 0m, 5m, 10m, 33m, 50m, 100m)
             from code in Gen.Elements(Codes)
             select Line(quantityThousandths == 0 ? 1 : quantityThousandths / 1000m, priceHundredths / 100m, code, discount), count)
         select lines).ToArbitrary();

    private static bool Whole(decimal amount) => decimal.Round(amount, 2) == amount;

    [Property(Arbitrary = [typeof(InvoiceCalculatorTests)], MaxTest = 300)]
    public bool Totals_add_up(CalculationLine[] lines, bool grossMode)
    {
        var mode = grossMode ? PricingMode.Gross : PricingMode.Net;
        var t = InvoiceCalculator.Calculate(lines, mode, Pln);

        var perRateAddsUp = t.ByRate.All(r => r.Gross == r.Net + r.Vat && Whole(r.Net) && Whole(r.Vat));
        var overallAddsUp = t.Gross == t.Net + t.Vat && t.Net == t.ByRate.Sum(r => r.Net) && t.Vat == t.ByRate.Sum(r => r.Vat);
        var linesAddUp = t.Lines.All(l => l.Gross == l.Net + l.Vat && Whole(l.Net) && Whole(l.Vat));
        // The priced side is never re-rounded per rate: the gross (gross mode) or net (net mode) total is the sum of the lines.
        var pricedSideKept = mode == PricingMode.Gross ? t.Gross == t.Lines.Sum(l => l.Gross) : t.Net == t.Lines.Sum(l => l.Net);
        // Per rate, VAT is rounded once; the lines round n times, so they differ by at most half a grosz per rounding.
        var vatClose = t.ByRate.All(r =>
        {
            var members = lines.Select((l, i) => (l, i)).Where(x => x.l.VatRateCode == r.VatRateCode).Select(x => t.Lines[x.i]).ToList();
            return Math.Abs(r.Vat - members.Sum(l => l.Vat)) <= 0.005m * (members.Count + 1);
        });
        var noVatOnZeroRates = t.ByRate.Where(r => r.VatPercent == 0).All(r => r.Vat == 0);
        return perRateAddsUp && overallAddsUp && linesAddUp && pricedSideKept && vatClose && noVatOnZeroRates;
    }
}
