using Kontor.Company;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Inventory;

public sealed record StockLevelRow(Guid WarehouseId, string WarehouseCode, Guid ProductId, string Sku, string Name, string Unit,
    decimal OnHand, decimal Reserved, decimal Available, decimal Value);

public sealed record StockReport(string Currency, DateOnly? AsOf, IReadOnlyList<StockLevelRow> Rows)
{
    public decimal TotalValue => Rows.Sum(r => r.Value);
}

/// <summary>Stock levels and their value: now from the levels and FIFO layers, or on a past date from the movements.</summary>
public sealed class StockQueries(KontorDbContext db, CompanyProfileProvider company)
{
    /// <param name="asOf">
    /// When given, quantities and values are the sums of movements dated up to that day (reserved is not historical and is 0;
    /// available equals on hand). Without it, the current levels.
    /// </param>
    public async Task<StockReport> LevelsAsync(Guid? warehouseId = null, Guid? productId = null, string? search = null, bool inStockOnly = false,
        DateOnly? asOf = null, CancellationToken ct = default)
    {
        var currency = (await company.GetAsync(ct)).BaseCurrency;
        List<(Guid WarehouseId, Guid ProductId, decimal OnHand, decimal Reserved, decimal Value)> raw;
        if (asOf is { } date)
        {
            var movements = db.StockMovements.AsNoTracking().Where(m => m.Date <= date);
            if (warehouseId is not null) movements = movements.Where(m => m.WarehouseId == warehouseId);
            if (productId is not null) movements = movements.Where(m => m.ProductId == productId);
            raw = (await movements.GroupBy(m => new { m.WarehouseId, m.ProductId })
                    .Select(g => new { g.Key.WarehouseId, g.Key.ProductId, Quantity = g.Sum(m => m.Quantity), Value = g.Sum(m => m.Value) }).ToListAsync(ct))
                .Select(r => (r.WarehouseId, r.ProductId, r.Quantity, 0m, r.Value)).ToList();
        }
        else
        {
            var levels = db.StockLevels.AsNoTracking();
            if (warehouseId is not null) levels = levels.Where(l => l.WarehouseId == warehouseId);
            if (productId is not null) levels = levels.Where(l => l.ProductId == productId);
            var layers = db.StockLayers.AsNoTracking().Where(l => l.Remaining > 0);
            if (warehouseId is not null) layers = layers.Where(l => l.WarehouseId == warehouseId);
            if (productId is not null) layers = layers.Where(l => l.ProductId == productId);
            var values = await layers.GroupBy(l => new { l.WarehouseId, l.ProductId })
                .Select(g => new { g.Key.WarehouseId, g.Key.ProductId, Value = g.Sum(l => l.RemainingValue) }).ToListAsync(ct);
            raw = (await levels.ToListAsync(ct)).Select(l => (l.WarehouseId, l.ProductId, l.OnHand, l.Reserved,
                values.FirstOrDefault(v => v.WarehouseId == l.WarehouseId && v.ProductId == l.ProductId)?.Value ?? 0m)).ToList();
        }
        var productIds = raw.Select(r => r.ProductId).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var warehouses = await db.Warehouses.AsNoTracking().ToDictionaryAsync(w => w.Id, w => w.Code, ct);
        var term = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        var rows = raw
            .Where(r => !inStockOnly || r.OnHand != 0 || r.Reserved != 0)
            .Where(r => r.OnHand != 0 || r.Reserved != 0 || r.Value != 0 || productId is not null || asOf is null)
            .Select(r => new StockLevelRow(r.WarehouseId, warehouses.GetValueOrDefault(r.WarehouseId, "?"), r.ProductId, products[r.ProductId].Sku, products[r.ProductId].Name,
                products[r.ProductId].Unit, r.OnHand, r.Reserved, r.OnHand - r.Reserved, r.Value))
            .Where(r => term is null || r.Sku.Contains(term, StringComparison.OrdinalIgnoreCase) || r.Name.Contains(term, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Name, StringComparer.CurrentCulture).ThenBy(r => r.WarehouseCode, StringComparer.Ordinal).ToList();
        return new StockReport(currency, asOf, rows);
    }
}
