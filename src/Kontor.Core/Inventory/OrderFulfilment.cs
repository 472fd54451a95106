using Kontor.Catalog;
using Kontor.Common;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kontor.Inventory;

public sealed record StockQuantityInput(Guid? ProductId, decimal? Quantity);

/// <param name="Lines">What to issue; null = everything ordered and not yet issued.</param>
public sealed record IssueForOrder(DateOnly? Date = null, IReadOnlyList<StockQuantityInput>? Lines = null, string? Notes = null);

/// <summary>
/// Goods coming back from a customer: name the order, or the correction invoice (its corrected invoice's order is used, and
/// without <paramref name="Lines"/> the correction's quantity decreases of goods are taken).
/// </summary>
public sealed record ReceiveReturn(Guid? OrderId, Guid? CorrectionInvoiceId, IReadOnlyList<StockQuantityInput>? Lines, DateOnly? Date = null, string? Reason = null);

public enum OrderStockState { None, Backordered, Reserved, PartlyIssued, Issued, Released }

public sealed record OrderStockLine(Guid ProductId, string Sku, string Name, string Unit, decimal Ordered, decimal Reserved, decimal Issued, decimal Backordered);

/// <summary>The stock side of an order: its warehouse, what each goods line holds, and the state in one word for screens and shops.</summary>
public sealed record OrderStock(Guid OrderId, Guid? WarehouseId, string? WarehouseCode, OrderStockState State, IReadOnlyList<OrderStockLine> Lines);

/// <summary>
/// The inventory surface order intake calls (docs/inventory.md, "For the e-commerce flow"). Every method is one unit of work, or
/// joins the caller's: an intake that creates the order, reserves and invoices can do it in one transaction.
/// </summary>
public interface IOrderFulfilment
{
    /// <summary>Reserves (or tops up to) what the order's goods lines still need, in the default warehouse; see <see cref="InventoryOptions.AllowBackorders"/>.</summary>
    Task<OrderStock> ReserveForOrderAsync(Guid orderId, CancellationToken ct = default);
    /// <summary>Gives the order's reservation back to available stock (cancellation).</summary>
    Task<OrderStock> ReleaseForOrderAsync(Guid orderId, CancellationToken ct = default);
    /// <summary>A posted WZ for the order at FIFO cost, consuming its reservation.</summary>
    Task<StockDocument> IssueForOrderAsync(Guid orderId, IssueForOrder? command = null, CancellationToken ct = default);
    /// <summary>A posted ZW taking goods back at the cost they were issued at (Dr 330 / Cr 731).</summary>
    Task<StockDocument> ReceiveReturnAsync(ReceiveReturn command, CancellationToken ct = default);
    Task<OrderStock> ForOrderAsync(Guid orderId, CancellationToken ct = default);
}

public sealed class OrderFulfilment(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    StockBook book,
    StockDocumentService documents,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<InventoryOptions> options) : IOrderFulfilment
{
    public async Task<OrderStock> ReserveForOrderAsync(Guid orderId, CancellationToken ct = default)
    {
        await unitOfWork.ExecuteAsync(async token =>
        {
            var order = await db.Orders.AsNoTracking().Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId, token) ?? throw new NotFoundException("Order", orderId);
            await ReserveAsync(order, token);
            audit.Record("stock.reserved", nameof(Order), order.Id, new { order.Number });
            return 0;
        }, ct);
        return await ForOrderAsync(orderId, ct);
    }

    /// <summary>
    /// Called by <see cref="OrderService.CreateAsync(CreateOrder, CancellationToken)"/> inside its unit of work for an order not
    /// yet saved (audited there as the order's creation; an explicit top-up is audited "stock.reserved"). Cancelled and delivered orders reserve nothing; a released reservation is not taken again.
    /// </summary>
    public async Task ReserveAsync(Order order, CancellationToken ct)
    {
        if (order.Status is OrderStatus.Cancelled or OrderStatus.Delivered or OrderStatus.Shipped)
            throw new ConflictException($"Order {order.Number} is {Order.StatusName(order.Status)}; it reserves no stock.");
        var needed = await GoodsOfAsync(order, ct);
        if (needed.Count == 0) return;
        var existing = await db.StockReservations.Where(r => r.OrderId == order.Id).ToListAsync(ct);
        var warehouse = existing.FirstOrDefault()?.WarehouseId
                        ?? await ChannelWarehouseAsync(order, ct)
                        ?? await db.Warehouses.Where(w => w.IsDefault && w.IsActive).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(ct)
                        ?? throw new ConflictException("There is no active default warehouse to reserve the order's goods in.");
        var shortages = new List<string>();
        var now = clock.GetUtcNow();
        foreach (var (product, ordered) in needed.OrderBy(n => n.Key.Id))
        {
            var reservation = existing.FirstOrDefault(r => r.ProductId == product.Id);
            if (reservation is null)
            {
                reservation = new StockReservation { OrderId = order.Id, WarehouseId = warehouse, ProductId = product.Id, CreatedAt = now };
                db.StockReservations.Add(reservation);
            }
            if (reservation.Released) throw new ConflictException($"The reservation of order {order.Number} was released; the order reserves nothing again.");
            reservation.Ordered = ordered;
            var wanted = Math.Max(0, ordered - reservation.Issued - reservation.Reserved);
            if (wanted == 0) continue;
            var got = wanted;
            // Another order may take stock between the read and the update; a few tries settle it (each try changes nothing when it fails).
            for (var attempt = 0; !await book.TryReserveAsync(warehouse, product.Id, got, ct); attempt++)
            {
                var (onHand, reserved) = await book.ReadAsync(warehouse, product.Id, ct);
                var available = Math.Max(0, onHand - reserved);
                if (!options.Value.AllowBackorders || attempt >= 5)
                {
                    shortages.Add($"{product.Sku} {product.Name}: {StockDocumentService.Qty(wanted)} {product.Unit} needed, {StockDocumentService.Qty(available)} available");
                    got = 0;
                    break;
                }
                got = Math.Min(wanted, available);
            }
            reservation.Reserved += got;
            reservation.ChangedAt = now;
        }
        if (shortages.Count > 0)
            throw new ConflictException($"Not enough stock for order {order.Number}: {string.Join("; ", shortages)}.");
    }

    /// <summary>
    /// An order from a sales channel reserves (and so is issued) in the channel's warehouse, when it names an active one
    /// (docs/commerce.md, "Outbound sync"); the company's default warehouse otherwise.
    /// </summary>
    private async Task<Guid?> ChannelWarehouseAsync(Order order, CancellationToken ct)
    {
        if (order.ChannelId is not { } channelId) return null;
        var code = await db.SalesChannels.Where(c => c.Id == channelId).Select(c => c.DefaultWarehouseCode).FirstOrDefaultAsync(ct);
        if (code is null) return null;
        return await db.Warehouses.Where(w => w.Code == code && w.IsActive).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(ct);
    }

    public async Task<OrderStock> ReleaseForOrderAsync(Guid orderId, CancellationToken ct = default)
    {
        await unitOfWork.ExecuteAsync(async token =>
        {
            await ReleaseAsync(orderId, token);
            audit.Record("stock.released", nameof(Order), orderId);
            return 0;
        }, ct);
        return await ForOrderAsync(orderId, ct);
    }

    /// <summary>Called by <see cref="OrderService.ChangeStatusAsync"/> when an order is cancelled, in its unit of work.</summary>
    public async Task ReleaseAsync(Guid orderId, CancellationToken ct)
    {
        var reservations = await db.StockReservations.Where(r => r.OrderId == orderId && !r.Released).OrderBy(r => r.ProductId).ToListAsync(ct);
        foreach (var reservation in reservations)
        {
            await book.ReleaseAsync(reservation.WarehouseId, reservation.ProductId, reservation.Reserved, ct);
            reservation.Reserved = 0;
            reservation.Released = true;
            reservation.ChangedAt = clock.GetUtcNow();
        }
    }

    public async Task<StockDocument> IssueForOrderAsync(Guid orderId, IssueForOrder? command = null, CancellationToken ct = default)
    {
        command ??= new IssueForOrder();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var order = await db.Orders.AsNoTracking().Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId, token) ?? throw new NotFoundException("Order", orderId);
            if (order.Status == OrderStatus.Cancelled) throw new ConflictException($"Order {order.Number} is cancelled; its goods are not issued.");
            var reservations = await db.StockReservations.AsNoTracking().Where(r => r.OrderId == orderId).ToListAsync(token);
            var warehouse = reservations.FirstOrDefault()?.WarehouseId;
            IReadOnlyList<StockDocumentLineInput> lines;
            if (command.Lines is null)
            {
                var needed = await GoodsOfAsync(order, token);
                lines = needed.OrderBy(n => n.Key.Sku)
                    .Select(n => (n.Key.Id, Left: n.Value - (reservations.FirstOrDefault(r => r.ProductId == n.Key.Id)?.Issued ?? 0)))
                    .Where(n => n.Left > 0).Select(n => new StockDocumentLineInput(n.Id, n.Left)).ToList();
                if (lines.Count == 0) throw new ConflictException($"Order {order.Number} has no goods left to issue.");
            }
            else lines = command.Lines.Select(l => new StockDocumentLineInput(l?.ProductId, l?.Quantity)).ToList();
            return await documents.CreateAndPostAsync(new SaveStockDocument(StockDocumentKind.WZ, warehouse, command.Date, lines,
                PartyId: order.PartyId, OrderId: order.Id, InvoiceId: order.InvoiceId, Notes: command.Notes), token);
        }, ct);
    }

    /// <summary>
    /// Called by <see cref="OrderService.ShipAsync"/> inside its unit of work: the order's goods not yet issued leave on a posted
    /// WZ dated <paramref name="date"/>; null when nothing is left to issue (services only, or issued before by hand).
    /// </summary>
    public async Task<StockDocument?> IssueRestForShipmentAsync(Order order, DateOnly date, CancellationToken ct)
    {
        var needed = await GoodsOfAsync(order, ct);
        if (needed.Count == 0) return null;
        var issued = await db.StockReservations.AsNoTracking().Where(r => r.OrderId == order.Id).ToDictionaryAsync(r => r.ProductId, r => r.Issued, ct);
        if (needed.All(n => n.Value - issued.GetValueOrDefault(n.Key.Id) <= 0)) return null;
        return await IssueForOrderAsync(order.Id, new IssueForOrder(date), ct);
    }

    public async Task<StockDocument> ReceiveReturnAsync(ReceiveReturn command, CancellationToken ct = default)
    {
        if (command is null) throw new ValidationException("body", "A return is required.");
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var orderId = command.OrderId;
            IReadOnlyList<StockDocumentLineInput>? lines = command.Lines?.Select(l => new StockDocumentLineInput(l?.ProductId, l?.Quantity)).ToList();
            if (command.CorrectionInvoiceId is { } correctionId)
            {
                var correction = await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstOrDefaultAsync(i => i.Id == correctionId, token);
                if (correction is null || correction.Kind != InvoiceKind.Correction)
                    throw new ValidationException("correctionInvoiceId", $"{correctionId} is not a correction invoice.");
                orderId ??= await OrderOfInvoiceAsync(correction.CorrectedInvoiceId, token)
                            ?? throw new ValidationException("orderId", "The corrected invoice was not made from an order; name the order.");
                if (lines is null)
                {
                    var goods = await db.Products.AsNoTracking().Where(p => p.Kind == ProductKind.Goods).Select(p => p.Id).ToListAsync(token);
                    lines = correction.Lines.Where(l => l.ProductId is { } p && goods.Contains(p) && l.Quantity < (l.BeforeQuantity ?? 0))
                        .GroupBy(l => l.ProductId!.Value)
                        .Select(g => new StockDocumentLineInput(g.Key, g.Sum(l => (l.BeforeQuantity ?? 0) - l.Quantity))).ToList();
                }
            }
            if (orderId is null) throw new ValidationException("orderId", "Name the order (or the correction invoice) whose goods come back.");
            var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, token) ?? throw new ValidationException("orderId", $"No such order: {orderId}.");
            var warehouse = await db.StockDocuments.AsNoTracking()
                .Where(d => d.OrderId == order.Id && d.Kind == StockDocumentKind.WZ && d.Status == StockDocumentStatus.Posted)
                .OrderBy(d => d.CreatedAt).Select(d => (Guid?)d.WarehouseId).FirstOrDefaultAsync(token);
            return await documents.CreateAndPostAsync(new SaveStockDocument(StockDocumentKind.ZW, warehouse, command.Date, lines,
                PartyId: order.PartyId, OrderId: order.Id, InvoiceId: command.CorrectionInvoiceId ?? order.InvoiceId, Reason: command.Reason ?? "Zwrot od odbiorcy"), token);
        }, ct);
    }

    private async Task<Guid?> OrderOfInvoiceAsync(Guid? invoiceId, CancellationToken ct)
    {
        // A correction of a correction points at the one before; follow the chain to the invoice the order went into.
        for (var depth = 0; invoiceId is not null && depth < 20; depth++)
        {
            var id = invoiceId.Value;
            if (await db.Orders.AsNoTracking().Where(o => o.InvoiceId == id).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct) is { } orderId) return orderId;
            invoiceId = await db.Invoices.AsNoTracking().Where(i => i.Id == id).Select(i => i.CorrectedInvoiceId).FirstOrDefaultAsync(ct);
        }
        return null;
    }

    public async Task<OrderStock> ForOrderAsync(Guid orderId, CancellationToken ct = default)
    {
        var reservations = await db.StockReservations.AsNoTracking().Where(r => r.OrderId == orderId).ToListAsync(ct);
        if (reservations.Count == 0) return new OrderStock(orderId, null, null, OrderStockState.None, []);
        var productIds = reservations.Select(r => r.ProductId).ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var warehouseId = reservations[0].WarehouseId;
        var code = await db.Warehouses.AsNoTracking().Where(w => w.Id == warehouseId).Select(w => w.Code).FirstOrDefaultAsync(ct);
        var lines = reservations.OrderBy(r => products[r.ProductId].Sku).Select(r => new OrderStockLine(r.ProductId, products[r.ProductId].Sku, products[r.ProductId].Name,
            products[r.ProductId].Unit, r.Ordered, r.Reserved, r.Issued, r.Released ? 0 : Math.Max(0, r.Ordered - r.Issued - r.Reserved))).ToList();
        var state = reservations.All(r => r.Released) ? OrderStockState.Released
            : lines.All(l => l.Issued >= l.Ordered) ? OrderStockState.Issued
            : lines.Any(l => l.Issued > 0) ? OrderStockState.PartlyIssued
            : lines.Any(l => l.Backordered > 0) ? OrderStockState.Backordered
            : OrderStockState.Reserved;
        return new OrderStock(orderId, warehouseId, code, state, lines);
    }

    /// <summary>The order's goods (services have no stock) with the quantity ordered of each.</summary>
    private async Task<Dictionary<Product, decimal>> GoodsOfAsync(Order order, CancellationToken ct)
    {
        var ids = order.Lines.Where(l => l.ProductId is not null).Select(l => l.ProductId!.Value).Distinct().ToList();
        if (ids.Count == 0) return [];
        var goods = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id) && p.Kind == ProductKind.Goods).ToListAsync(ct);
        return goods.ToDictionary(p => p, p => order.Lines.Where(l => l.ProductId == p.Id).Sum(l => l.Quantity));
    }
}
