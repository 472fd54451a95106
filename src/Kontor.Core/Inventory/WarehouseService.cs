using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Inventory;

public sealed record SaveWarehouse(string? Code, string? Name, bool? IsActive = null, bool? IsDefault = null);

/// <summary>Warehouses: codes are unique; exactly one active warehouse is the default (orders reserve there).</summary>
public sealed class WarehouseService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<Warehouse>> ListAsync(CancellationToken ct = default) =>
        await db.Warehouses.AsNoTracking().OrderByDescending(w => w.IsDefault).ThenBy(w => w.Code).ToListAsync(ct);

    public async Task<Warehouse> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Warehouses.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw new NotFoundException("Warehouse", id);

    public async Task<Warehouse> CreateAsync(SaveWarehouse c, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var code = errors.Text(c?.Code, "code", 16)?.ToUpperInvariant();
        var name = errors.Text(c?.Name, "name", 100);
        errors.ThrowIfAny();
        var warehouse = new Warehouse { Code = code!, Name = name!, IsActive = c!.IsActive ?? true, IsDefault = c.IsDefault ?? false, CreatedAt = clock.GetUtcNow() };
        if (warehouse.IsDefault && !warehouse.IsActive) throw new ValidationException("isDefault", "The default warehouse must be active.");
        return await unitOfWork.ExecuteAsync(async token =>
        {
            if (await db.Warehouses.AnyAsync(w => w.Code == warehouse.Code, token)) throw new ConflictException($"A warehouse with code {warehouse.Code} already exists.");
            var all = await db.Warehouses.ToListAsync(token);
            if (all.Count == 0) warehouse.IsDefault = true;
            if (warehouse.IsDefault) foreach (var other in all) { other.IsDefault = false; other.Version = Guid.NewGuid(); }
            db.Warehouses.Add(warehouse);
            audit.Record("warehouse.created", nameof(Warehouse), warehouse.Id, new { warehouse.Code, warehouse.Name, warehouse.IsDefault });
            return warehouse;
        }, ct);
    }

    public async Task<Warehouse> UpdateAsync(Guid id, SaveWarehouse c, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var name = c?.Name is null ? null : errors.Text(c.Name, "name", 100);
        errors.Require(c?.Code is null, "code", "A warehouse's code does not change (documents print it).");
        errors.ThrowIfAny();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var all = await db.Warehouses.ToListAsync(token);
            var warehouse = all.FirstOrDefault(w => w.Id == id) ?? throw new NotFoundException("Warehouse", id);
            if (name is not null) warehouse.Name = name;
            if (c!.IsActive is { } active)
            {
                if (!active && warehouse.IsDefault && c.IsDefault != false) throw new ConflictException($"Warehouse {warehouse.Code} is the default; make another one the default first.");
                if (!active && await db.StockLevels.AnyAsync(s => s.WarehouseId == id && s.OnHand > 0, token))
                    throw new ConflictException($"Warehouse {warehouse.Code} still holds goods; move them out (MM) before deactivating it.");
                warehouse.IsActive = active;
            }
            if (c.IsDefault == true)
            {
                if (!warehouse.IsActive) throw new ConflictException($"Warehouse {warehouse.Code} is inactive and cannot be the default.");
                foreach (var other in all.Where(w => w.Id != id && w.IsDefault)) { other.IsDefault = false; other.Version = Guid.NewGuid(); }
                warehouse.IsDefault = true;
            }
            else if (c.IsDefault == false && warehouse.IsDefault) throw new ConflictException("One warehouse is always the default; make another one the default instead.");
            warehouse.Version = Guid.NewGuid();
            audit.Record("warehouse.changed", nameof(Warehouse), warehouse.Id, new { warehouse.Code, warehouse.Name, warehouse.IsActive, warehouse.IsDefault });
            return warehouse;
        }, ct);
    }
}
