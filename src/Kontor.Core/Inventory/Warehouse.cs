namespace Kontor.Inventory;

/// <summary>A place goods are kept in (magazyn). One warehouse is the default: orders reserve there.</summary>
public sealed class Warehouse
{
    public const string DefaultCode = "MAG";
    public const string DefaultName = "Magazyn główny";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public bool IsDefault { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid Version { get; set; } = Guid.NewGuid();
}

/// <summary>
/// Quantities of one product in one warehouse. The row is the lock: every document that changes the stock of a
/// (product, warehouse) updates this row first with a conditional UPDATE, so concurrent issues of the last unit
/// queue on it and the second one finds too little (docs/inventory.md, "Concurrency").
/// Available = <see cref="OnHand"/> − <see cref="Reserved"/>; neither quantity ever goes below zero and
/// <see cref="Reserved"/> never exceeds <see cref="OnHand"/>.
/// </summary>
public sealed class StockLevel
{
    public Guid WarehouseId { get; init; }
    public Guid ProductId { get; init; }
    public decimal OnHand { get; set; }
    public decimal Reserved { get; set; }
}

/// <summary>
/// A FIFO layer (warstwa): a quantity received at one unit cost, consumed oldest first. <see cref="RemainingValue"/>
/// is kept in whole grosz: a partial issue takes round(quantity × unit cost) and the issue that empties the layer takes
/// what is left, so a layer's issues add up exactly to its receipt value and Σ RemainingValue is the 330 balance.
/// </summary>
public sealed class StockLayer
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WarehouseId { get; init; }
    public Guid ProductId { get; init; }
    /// <summary>The document that created the layer (PZ, PW, ZW, or the MM that moved it here).</summary>
    public Guid DocumentId { get; init; }
    /// <summary>When the goods first came in; a transfer keeps the original date and order, so FIFO age survives a move.</summary>
    public DateOnly ReceivedOn { get; init; }
    public long Sequence { get; init; }
    public decimal Quantity { get; init; }
    public decimal UnitCost { get; init; }
    public decimal Value { get; init; }
    public decimal Remaining { get; set; }
    public decimal RemainingValue { get; set; }
}

/// <summary>
/// One change of stock by a posted document, per layer touched: + for receipts, − for issues. Append-only; the value
/// of stock on any date is the sum of the movements dated up to it, and a return finds its issue cost here.
/// </summary>
public sealed class StockMovement
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid DocumentId { get; init; }
    public Guid WarehouseId { get; init; }
    public Guid ProductId { get; init; }
    public Guid LayerId { get; init; }
    public DateOnly Date { get; init; }
    public decimal Quantity { get; init; }
    public decimal Value { get; init; }
}

/// <summary>
/// What an order holds of one product in one warehouse: <see cref="Reserved"/> is counted in the stock level's
/// reserved quantity; a WZ for the order consumes it; cancelling the order releases it.
/// </summary>
public sealed class StockReservation
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrderId { get; init; }
    public Guid WarehouseId { get; init; }
    public Guid ProductId { get; init; }
    /// <summary>Ordered quantity of the product (all the order's lines of it).</summary>
    public decimal Ordered { get; set; }
    public decimal Reserved { get; set; }
    public decimal Issued { get; set; }
    public bool Released { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ChangedAt { get; set; }
}

/// <summary>Inventory settings (configuration section "Inventory").</summary>
public sealed class InventoryOptions
{
    /// <summary>
    /// True (default): an order whose goods are not all available is accepted; it reserves what is available and the rest is
    /// shown as backordered until goods come in and the reservation is topped up. False: such an order is refused with 409
    /// naming the shortage (docs/decisions.md, "Inventory").
    /// </summary>
    public bool AllowBackorders { get; set; } = true;
}
