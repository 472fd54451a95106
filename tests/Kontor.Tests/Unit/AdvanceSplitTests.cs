using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kontor.Catalog;
using Kontor.Common;
using Kontor.Sales;

namespace Kontor.Tests.Unit;

/// <summary>The split of an advance over an order's VAT rates (AdvanceInvoiceService.Split, docs/decisions.md §24).</summary>
public sealed class AdvanceSplitTests
{
    private static readonly Currency Pln = Currency.PLN;
    private static readonly Dictionary<string, decimal> None = [];

    // The order of the integration scenarios: 23 %: 999.99 + 230.00 = 1229.99; 8 %: 86.59 + 6.93 = 93.52; gross 1323.51.
    private static readonly VatRateTotal[] Order =
    [
        new("23", VatRateKind.Percentage, 23, 999.99m, 230.00m, 1229.99m),
        new("8", VatRateKind.Percentage, 8, 86.59m, 6.93m, 93.52m),
    ];

    [Fact]
    public void An_advance_is_split_in_proportion_to_the_gross_per_rate_and_VAT_is_extracted_from_each_share()
    {
        var shares = AdvanceInvoiceService.Split(Order, 397.05m, None, Pln);

        // 8 %: 397.05 × 93.52 / 1323.51 = 28.0558 → 28.06, VAT 28.06 × 8/108 = 2.0785 → 2.08
        // 23 % (largest gross) takes the rest: 368.99, VAT 368.99 × 23/123 = 68.998 → 69.00
        Assert.Equal(
            [new AdvanceShare("23", VatRateKind.Percentage, 23, 299.99m, 69.00m, 368.99m), new AdvanceShare("8", VatRateKind.Percentage, 8, 25.98m, 2.08m, 28.06m)],
            shares);
    }

    [Fact]
    public void A_second_advance_takes_the_split_of_everything_received_minus_what_the_first_took()
    {
        // First 264.70: 8 % = 264.70 × 93.52 / 1323.51 = 18.7040 → 18.70; 23 % = 246.00.
        var first = AdvanceInvoiceService.Split(Order, 264.70m, None, Pln);
        Assert.Equal((246.00m, 18.70m), (first[0].Gross, first[1].Gross));
        // Then 595.58, cumulative 860.28: 8 % = 860.28 × 93.52 / 1323.51 = 60.7877 → 60.79, so this one 60.79 − 18.70 = 42.09;
        //   23 %: 860.28 − 60.79 = 799.49 cumulative, so this one 799.49 − 246.00 = 553.49.
        var second = AdvanceInvoiceService.Split(Order, 860.28m, new Dictionary<string, decimal> { ["23"] = 246.00m, ["8"] = 18.70m }, Pln);
        Assert.Equal((553.49m, 42.09m), (second[0].Gross, second[1].Gross));
        Assert.Equal(595.58m, second.Sum(s => s.Gross));
    }

    [Fact]
    public void Exempt_and_zero_rates_take_their_share_without_VAT_and_an_empty_share_is_left_out()
    {
        VatRateTotal[] order = [new("23", VatRateKind.Percentage, 23, 100.00m, 23.00m, 123.00m), new("zw", VatRateKind.Exempt, 0, 77.00m, 0m, 77.00m)];
        Assert.Equal(
            [new AdvanceShare("23", VatRateKind.Percentage, 23, 50.00m, 11.50m, 61.50m), new AdvanceShare("zw", VatRateKind.Exempt, 0, 38.50m, 0m, 38.50m)],
            AdvanceInvoiceService.Split(order, 100.00m, None, Pln)); // 100 × 77/200 = 38.50
        Assert.Equal([new AdvanceShare("23", VatRateKind.Percentage, 23, 0.01m, 0m, 0.01m)], AdvanceInvoiceService.Split(order, 0.01m, None, Pln));
    }

    public static Arbitrary<(VatRateTotal[] Order, int[] Percents)> Scenarios() =>
        (from grossA in Gen.Choose(1, 10_000_000)
         from grossB in Gen.Choose(1, 10_000_000)
         from grossC in Gen.Choose(0, 1_000_000)
         from count in Gen.Choose(1, 5)
         from percents in Gen.ArrayOf(Gen.Choose(1, 100), count)
         select (Rates(grossA / 100m, grossB / 100m, grossC / 100m), percents)).ToArbitrary();

    private static VatRateTotal[] Rates(decimal a, decimal b, decimal c)
    {
        var list = new List<VatRateTotal> { Rate("23", 23, a), Rate("8", 8, b) };
        if (c > 0) list.Add(Rate("zw", 0, c));
        return list.ToArray();

        static VatRateTotal Rate(string code, decimal p, decimal gross)
        {
            var vat = decimal.Round(gross * p / (100 + p), 2, MidpointRounding.AwayFromZero);
            return new VatRateTotal(code, p == 0 ? VatRateKind.Exempt : VatRateKind.Percentage, p, gross - vat, vat, gross);
        }
    }

    /// <summary>
    /// Advances until the order is covered (each a percentage of what is left, the last one the rest): every share adds up
    /// to its advance, and the advances together are exactly the order's gross per rate, so a final invoice charges the rest per rate.
    /// </summary>
    [Property(Arbitrary = [typeof(AdvanceSplitTests)], MaxTest = 300)]
    public bool Advances_add_up_to_each_amount_and_together_to_the_order_per_rate((VatRateTotal[] Order, int[] Percents) scenario)
    {
        var (order, percents) = scenario;
        var total = order.Sum(r => r.Gross);
        var taken = order.ToDictionary(r => r.VatRateCode, _ => 0m);
        var received = 0m;
        var ok = true;
        for (var i = 0; i <= percents.Length; i++)
        {
            var amount = i == percents.Length ? total - received : decimal.Round((total - received) * percents[i] / 100m, 2, MidpointRounding.AwayFromZero);
            if (amount <= 0) continue;
            var shares = AdvanceInvoiceService.Split(order, received + amount, taken, Pln);
            ok &= shares.Sum(s => s.Gross) == amount;
            ok &= shares.All(s => s.Net + s.Vat == s.Gross && s.Gross >= 0 && decimal.Round(s.Vat, 2) == s.Vat);
            foreach (var s in shares) taken[s.VatRateCode] += s.Gross;
            received += amount;
        }
        return ok && order.All(r => taken[r.VatRateCode] == r.Gross);
    }
}
