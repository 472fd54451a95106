using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Inventory;

/// <summary>
/// The quantities of <see cref="StockLevel"/> rows, changed only by conditional UPDATEs inside the caller's unit of
/// work. On PostgreSQL the UPDATE takes the row lock until commit, and a second transaction waiting on it re-checks the
/// condition against the committed row (READ COMMITTED), so two issues of the last unit cannot both succeed; on SQLite
/// the single writer gate orders them. Callers touch rows in (warehouse, product) order so two documents cannot deadlock.
/// </summary>
/// Every change is also reported to <see cref="Commerce.ChannelSyncCollector"/>, which pushes the new availability to the
/// shops that sell from the warehouse once, before the unit of work commits (docs/commerce.md, "Outbound sync").
public sealed class StockBook(KontorDbContext db, Commerce.ChannelSyncCollector sync)
{
    public async Task AddAsync(Guid warehouseId, Guid productId, decimal quantity, CancellationToken ct)
    {
        sync.StockChanged(warehouseId, productId);
        if (await Row(warehouseId, productId).ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, x => x.OnHand + quantity), ct) == 1) return;
        await EnsureRowAsync(warehouseId, productId, ct);
        await Row(warehouseId, productId).ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, x => x.OnHand + quantity), ct);
    }

    /// <summary>
    /// Takes <paramref name="quantity"/> off hand, <paramref name="fromReserved"/> of it out of the reserved quantity (an order's
    /// own reservation); the rest must be available. False, changing nothing, when it is not.
    /// </summary>
    public async Task<bool> TryRemoveAsync(Guid warehouseId, Guid productId, decimal quantity, decimal fromReserved, CancellationToken ct)
    {
        var unreserved = quantity - fromReserved;
        sync.StockChanged(warehouseId, productId);
        return await Row(warehouseId, productId)
            .Where(x => x.Reserved >= fromReserved && x.OnHand - x.Reserved >= unreserved)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.OnHand, x => x.OnHand - quantity)
                .SetProperty(x => x.Reserved, x => x.Reserved - fromReserved), ct) == 1;
    }

    /// <summary>
    /// Reserves <paramref name="quantity"/> if that much is available; false, changing nothing, otherwise. The row counts as
    /// touched for the outbound sync even when nothing is reserved (a reservation was asked for, so the shops hear of it).
    /// </summary>
    public async Task<bool> TryReserveAsync(Guid warehouseId, Guid productId, decimal quantity, CancellationToken ct)
    {
        sync.StockChanged(warehouseId, productId);
        if (quantity <= 0) return true;
        // No insert-if-missing first: a product without a stock level row has nothing available, so the conditional
        // UPDATE matching no row gives the same answer (false) — one statement per line instead of two.
        return await Row(warehouseId, productId)
            .Where(x => x.OnHand - x.Reserved >= quantity)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Reserved, x => x.Reserved + quantity), ct) == 1;
    }

    public async Task ReleaseAsync(Guid warehouseId, Guid productId, decimal quantity, CancellationToken ct)
    {
        if (quantity <= 0) return;
        sync.StockChanged(warehouseId, productId);
        var changed = await Row(warehouseId, productId).Where(x => x.Reserved >= quantity)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Reserved, x => x.Reserved - quantity), ct);
        if (changed != 1) throw new InvalidOperationException($"Stock level {warehouseId}/{productId} holds less reserved than {quantity} being released.");
    }

    /// <summary>The level as committed plus this transaction's own changes (for messages and partial reservations).</summary>
    public async Task<(decimal OnHand, decimal Reserved)> ReadAsync(Guid warehouseId, Guid productId, CancellationToken ct)
    {
        var row = await Row(warehouseId, productId).AsNoTracking().Select(x => new { x.OnHand, x.Reserved }).FirstOrDefaultAsync(ct);
        return row is null ? (0m, 0m) : (row.OnHand, row.Reserved);
    }

    /// <summary>
    /// <see cref="ReadAsync"/> for several (warehouse, product) rows in one query; a row that does not exist reads (0, 0).
    /// </summary>
    public async Task<Dictionary<(Guid WarehouseId, Guid ProductId), (decimal OnHand, decimal Reserved)>> ReadManyAsync(
        IReadOnlyCollection<(Guid WarehouseId, Guid ProductId)> keys, CancellationToken ct)
    {
        var result = keys.Distinct().ToDictionary(k => k, _ => (0m, 0m));
        if (result.Count == 0) return result;
        var warehouses = keys.Select(k => k.WarehouseId).Distinct().ToList();
        // A superset (every product in every warehouse named) in chunks of products, then the keys asked for.
        foreach (var products in keys.Select(k => k.ProductId).Distinct().Chunk(500))
        {
            var rows = await db.StockLevels.AsNoTracking().Where(x => warehouses.Contains(x.WarehouseId) && products.Contains(x.ProductId))
                .Select(x => new { x.WarehouseId, x.ProductId, x.OnHand, x.Reserved }).ToListAsync(ct);
            foreach (var row in rows)
                if (result.ContainsKey((row.WarehouseId, row.ProductId))) result[(row.WarehouseId, row.ProductId)] = (row.OnHand, row.Reserved);
        }
        return result;
    }

    private IQueryable<StockLevel> Row(Guid warehouseId, Guid productId) =>
        db.StockLevels.Where(x => x.WarehouseId == warehouseId && x.ProductId == productId);

    private async Task EnsureRowAsync(Guid warehouseId, Guid productId, CancellationToken ct) =>
        // Zero is zero in every decimal mapping (SQLite stores decimals scaled), so the literal is safe on both providers.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "StockLevels" ("WarehouseId", "ProductId", "OnHand", "Reserved") VALUES ({warehouseId}, {productId}, 0, 0) ON CONFLICT DO NOTHING""", ct);
}
