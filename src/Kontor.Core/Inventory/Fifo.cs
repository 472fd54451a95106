namespace Kontor.Inventory;

/// <summary>A layer as the FIFO arithmetic sees it (oldest first in a list).</summary>
public sealed record FifoLayer(Guid Id, decimal Remaining, decimal RemainingValue, decimal UnitCost);

/// <summary>What an issue takes from one layer.</summary>
public sealed record FifoTake(Guid LayerId, decimal Quantity, decimal Value);

/// <summary>
/// The valuation arithmetic, free of the database so it can be tested by tables and properties (docs/inventory.md, "FIFO").
/// Every value is in whole minor units of the book currency.
/// </summary>
public static class Fifo
{
    /// <summary>quantity × unit cost rounded half away from zero to the minor unit.</summary>
    public static decimal ValueOf(decimal quantity, decimal unitCost, int minorUnits) =>
        decimal.Round(quantity * unitCost, minorUnits, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Takes <paramref name="quantity"/> from the layers, oldest first. A take that empties a layer gets the layer's remaining
    /// value (the rounding remainder lands on the last issue), any other take round(quantity × unit cost), never more than
    /// the layer still holds. Throws when the layers hold too little: the caller checks availability under the row lock first.
    /// </summary>
    public static IReadOnlyList<FifoTake> Consume(IReadOnlyList<FifoLayer> oldestFirst, decimal quantity, int minorUnits)
    {
        if (quantity <= 0) throw new ArgumentOutOfRangeException(nameof(quantity), "An issue takes a positive quantity.");
        var takes = new List<FifoTake>();
        var left = quantity;
        foreach (var layer in oldestFirst)
        {
            if (left == 0) break;
            if (layer.Remaining <= 0) continue;
            var take = Math.Min(left, layer.Remaining);
            var value = take == layer.Remaining
                ? layer.RemainingValue
                : Math.Min(ValueOf(take, layer.UnitCost, minorUnits), layer.RemainingValue);
            takes.Add(new FifoTake(layer.Id, take, value));
            left -= take;
        }
        if (left > 0) throw new InvalidOperationException($"The layers hold {quantity - left}, {quantity} was asked for.");
        return takes;
    }

    /// <summary>
    /// The unit cost of a stock count surplus: the average cost of what is on hand (Σ remaining value ÷ Σ remaining), else the
    /// cost of the newest layer ever received, else the product's catalogue unit cost; null when none is known (the user must give one).
    /// </summary>
    public static decimal? SurplusUnitCost(IReadOnlyList<FifoLayer> current, decimal? lastLayerCost, decimal? catalogueCost)
    {
        var quantity = current.Sum(l => l.Remaining);
        if (quantity > 0) return decimal.Round(current.Sum(l => l.RemainingValue) / quantity, 6, MidpointRounding.AwayFromZero);
        return lastLayerCost ?? catalogueCost;
    }

    /// <summary>
    /// Value of a customer return of <paramref name="quantity"/> at the cost it was issued at: the average issue cost of what is
    /// still out (issued − returned), and the whole remaining value when everything still out comes back (no grosz is lost).
    /// </summary>
    public static decimal ReturnValue(decimal quantity, decimal outQuantity, decimal outValue, int minorUnits)
    {
        if (quantity <= 0 || quantity > outQuantity) throw new ArgumentOutOfRangeException(nameof(quantity));
        return quantity == outQuantity ? outValue : Math.Min(ValueOf(quantity, outValue / outQuantity, minorUnits), outValue);
    }
}
