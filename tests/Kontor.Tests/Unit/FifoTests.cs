using FsCheck;
using FsCheck.Fluent;
using Kontor.Inventory;

namespace Kontor.Tests.Unit;

/// <summary>The FIFO arithmetic by tables worked out by hand, and its invariants by properties.</summary>
public sealed class FifoTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    public static TheoryData<string, decimal, string> Issues => new()
    {
        // layers "id:remaining:remainingValue:unitCost;…" oldest first, quantity issued, expected takes "id:quantity:value;…"
        { "A:10:120.00:12;B:5:65.00:13", 4, "A:4:48.00" },
        { "A:10:120.00:12;B:5:65.00:13", 10, "A:10:120.00" },
        { "A:10:120.00:12;B:5:65.00:13", 12, "A:10:120.00;B:2:26.00" },
        { "A:10:120.00:12;B:5:65.00:13", 15, "A:10:120.00;B:5:65.00" },
        // 3 units worth 10.00: single issues take 3.33, 3.33 and the remaining 3.34.
        { "A:3:10.00:3.333333", 1, "A:1:3.33" },
        { "A:2:6.67:3.333333", 1, "A:1:3.33" },
        { "A:1:3.34:3.333333", 1, "A:1:3.34" },
        { "A:3:10.00:3.333333", 2, "A:2:6.67" },
        // Partly used first layer, fractional quantities.
        { "A:0.5:6.17:12.345;B:2:2.00:1;C:1:9.99:9.99", 1.25m, "A:0.5:6.17;B:0.75:0.75" },
        // An empty layer is skipped.
        { "A:0:0.00:5;B:4:8.00:2", 3, "B:3:6.00" },
    };

    [Theory]
    [MemberData(nameof(Issues))]
    public void Issues_take_the_oldest_layers_first_and_the_emptying_take_gets_the_remainder(string layers, decimal quantity, string expected)
    {
        var takes = Fifo.Consume(Parse(layers), quantity, 2);
        Assert.Equal(expected, string.Join(";", takes.Select(t => $"{Name(t.LayerId)}:{t.Quantity}:{t.Value:0.00}")));
    }

    [Fact]
    public void Asking_for_more_than_the_layers_hold_throws() =>
        Assert.Throws<InvalidOperationException>(() => Fifo.Consume(Parse("A:1:1.00:1"), 2, 2));

    public static TheoryData<decimal, decimal, decimal> Values => new()
    {
        { 3, 3.333333m, 10.00m },
        { 1, 0.005m, 0.01m },     // half a grosz rounds away from zero
        { 1, 0.004999m, 0.00m },
        { 7, 1.2345m, 8.64m },    // 8.6415
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_line_value_is_rounded_to_the_grosz_half_away_from_zero(decimal quantity, decimal unitCost, decimal expected) =>
        Assert.Equal(expected, Fifo.ValueOf(quantity, unitCost, 2));

    [Theory]
    [InlineData(2, 10, 30.00, 6.00)]     // 3.00 each
    [InlineData(1, 3, 10.00, 3.33)]
    [InlineData(3, 3, 10.00, 10.00)]     // everything still out comes back with all its value
    public void A_return_is_valued_at_the_average_cost_of_what_is_still_out(decimal quantity, decimal outQuantity, decimal outValue, decimal expected) =>
        Assert.Equal(expected, Fifo.ReturnValue(quantity, outQuantity, outValue, 2));

    [Fact]
    public void A_surplus_is_valued_at_the_average_on_hand_else_the_last_receipt_else_the_catalogue()
    {
        Assert.Equal(12.5m, Fifo.SurplusUnitCost(Parse("A:1:10.00:10;B:1:15.00:15"), 99m, 1m));
        Assert.Equal(99m, Fifo.SurplusUnitCost([], 99m, 1m));
        Assert.Equal(1m, Fifo.SurplusUnitCost([], null, 1m));
        Assert.Null(Fifo.SurplusUnitCost([], null, null));
    }

    /// <summary>
    /// Receipts of random quantities at random costs, then random issues until the stock is gone: every issue value is whole
    /// grosz, each layer's issues add up to exactly its receipt value, and what is left is always Σ remaining values.
    /// </summary>
    [Fact]
    public void Issues_never_lose_or_make_a_grosz()
    {
        var gen =
            from count in Gen.Choose(1, 7)
            from quantities in Gen.ArrayOf(Gen.Choose(1, 40), count)
            from costs in Gen.ArrayOf(Gen.Choose(1, 2_000_000), count)
            from issueCount in Gen.Choose(1, 19)
            from issues in Gen.ArrayOf(Gen.Choose(1, 30), issueCount)
            select (receipts: quantities.Zip(costs).ToArray(), issues);
        Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var layers = input.receipts.Select((r, i) =>
            {
                var unitCost = r.Second / 10_000m;                  // up to 200.0000 with four decimals
                var value = Fifo.ValueOf(r.First, unitCost, 2);
                return new FifoLayer(Guid.NewGuid(), r.First, value, unitCost);
            }).ToList();
            var received = layers.Sum(l => l.RemainingValue);
            var issuedValue = 0m;
            foreach (var asked in input.issues.Append(int.MaxValue))
            {
                var quantity = Math.Min(asked, layers.Sum(l => l.Remaining));
                if (quantity == 0) break;
                var takes = Fifo.Consume(layers, quantity, 2);
                if (takes.Any(t => decimal.Round(t.Value, 2) != t.Value || t.Value < 0)) return false;
                if (takes.Sum(t => t.Quantity) != quantity) return false;
                layers = layers.Select(l => takes.FirstOrDefault(t => t.LayerId == l.Id) is { } t ? l with { Remaining = l.Remaining - t.Quantity, RemainingValue = l.RemainingValue - t.Value } : l).ToList();
                issuedValue += takes.Sum(t => t.Value);
                if (issuedValue + layers.Sum(l => l.RemainingValue) != received) return false;
            }
            return layers.All(l => l.Remaining == 0 && l.RemainingValue == 0) && issuedValue == received;
        }).QuickCheckThrowOnFailure();
    }

    private static List<FifoLayer> Parse(string layers) => layers.Split(';').Select(p => p.Split(':')).Select(p =>
        new FifoLayer(p[0] switch { "A" => A, "B" => B, _ => C }, decimal.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture))).ToList();

    private static string Name(Guid id) => id == A ? "A" : id == B ? "B" : "C";
}
