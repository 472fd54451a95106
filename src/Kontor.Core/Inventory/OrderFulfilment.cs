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

/// <summary>The stock side of an order in one word; <see cref="Returned"/>: everything issued came back on the order's ZW documents.</summary>
public enum OrderStockState { None, Backordered, Reserved, PartlyIssued, Issued, Released, Returned }

/// <param name="Returned">What came back from the customer on the order's posted ZW documents (part of <paramref name="Issued"/>, which stays what left).</param>
public sealed record OrderStockLine(Guid ProductId, string Sku, string Name, string Unit, decimal Ordered, decimal Reserved, decimal Issued, decimal Backordered,
    decimal Returned = 0)
{
    /// <summary>What the order still needs issued of the product: at most this goes out on a partial WZ (<see cref="IOrderFulfilment.IssueForOrderAsync"/>).</summary>
    public decimal LeftToIssue => Math.Max(0, Ordered - Issued);
}

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
    /// The one-order call of <see cref="ReserveManyAsync"/>.
    /// </summary>
    public async Task ReserveAsync(Order order, CancellationToken ct) => await ReserveManyAsync([order], null, ct);

    /// <summary>
    /// <see cref="ReserveAsync"/> for several orders in the order given, inside the caller's unit of work: each order gets exactly
    /// what it would get on its own after the earlier ones (a later order sees what the earlier ones reserved), but the
    /// products, reservations, warehouses and stock levels are read once for all of them and each (warehouse, product) row
    /// is updated once with the batch's total. A refusal (status, released reservation, no warehouse, shortage without
    /// backorders) throws <see cref="ConflictException"/>; its message starts with <c>{itemField}[i]: </c> when
    /// <paramref name="itemField"/> is given.
    /// </summary>
    public async Task ReserveManyAsync(IReadOnlyList<Order> orders, string? itemField, CancellationToken ct)
    {
        // Each message is in the reader's language before its item prefix goes in front of it.
        string Item(int index, string message) => itemField is null ? message : $"{itemField}[{index}]: {message}";
        for (var i = 0; i < orders.Count; i++)
            if (orders[i].Status is OrderStatus.Cancelled or OrderStatus.Delivered or OrderStatus.Shipped)
                throw new ConflictException(Item(i, Messages.Format("Order {0} is {1}; it reserves no stock.", orders[i].Number, Order.Said(orders[i].Status))));
        var needed = await GoodsOfAsync(orders, ct);
        var withGoods = Enumerable.Range(0, orders.Count).Where(i => needed[i].Count > 0).ToList();
        if (withGoods.Count == 0) return;

        var orderIds = withGoods.Select(i => orders[i].Id).ToList();
        var existing = new List<StockReservation>();
        foreach (var chunk in orderIds.Chunk(500))
            existing.AddRange(await db.StockReservations.Where(r => chunk.Contains(r.OrderId)).ToListAsync(ct));
        var warehouses = await WarehousesOfAsync([.. withGoods.Where(i => existing.All(r => r.OrderId != orders[i].Id)).Select(i => orders[i])], ct);

        // What each order still wants of each (warehouse, product), in the order given and by product within an order.
        var demands = new List<Demand>();
        var now = clock.GetUtcNow();
        foreach (var i in withGoods)
        {
            var order = orders[i];
            var own = existing.Where(r => r.OrderId == order.Id).ToList();
            var warehouse = own.FirstOrDefault()?.WarehouseId
                            ?? warehouses.GetValueOrDefault(order.Id)
                            ?? throw new ConflictException(Item(i, Messages.Translate("There is no active default warehouse to reserve the order's goods in.")));
            foreach (var (product, ordered) in needed[i].OrderBy(n => n.Key.Id))
            {
                var reservation = own.FirstOrDefault(r => r.ProductId == product.Id);
                if (reservation is null)
                {
                    reservation = new StockReservation { OrderId = order.Id, WarehouseId = warehouse, ProductId = product.Id, CreatedAt = now };
                    db.StockReservations.Add(reservation);
                }
                if (reservation.Released) throw new ConflictException(Item(i, Messages.Format("The reservation of order {0} was released; the order reserves nothing again.", order.Number)));
                reservation.Ordered = ordered;
                var wanted = Math.Max(0, ordered - reservation.Issued - reservation.Reserved);
                if (wanted > 0) demands.Add(new Demand(i, (warehouse, product.Id), product, reservation, wanted));
            }
        }
        if (demands.Count == 0) return;

        // The stock levels are read once; each row's demands are then shared out in order as single reservations would be.
        var keys = demands.Select(d => d.Key).Distinct().OrderBy(k => k.WarehouseId).ThenBy(k => k.ProductId).ToList();
        var levels = await book.ReadManyAsync(keys, ct);
        var shortages = new List<(Demand Demand, string Text)>();
        var allotted = new Dictionary<Demand, decimal>();
        foreach (var key in keys) Allot(key, levels[key]);
        ThrowIfShort();

        // One conditional UPDATE per (warehouse, product) with the batch's total, rows in (warehouse, product) order as every
        // caller of StockBook touches them (no deadlock between two batches). No row lock is taken by the read above: on
        // PostgreSQL another transaction may reserve or issue the same product between the read and the UPDATE. The UPDATE's
        // condition (available ≥ total) is re-checked against the committed row once that writer commits (READ COMMITTED), so
        // the batch can never take more than is there; when it fails (changing nothing) the row is read again and its demands
        // shared out again, a few times, as the single path retries. On SQLite the single writer gate makes the read exact.
        foreach (var key in keys)
        {
            for (var attempt = 0; !await book.TryReserveAsync(key.WarehouseId, key.ProductId, demands.Where(d => d.Key == key).Sum(d => allotted[d]), ct); attempt++)
            {
                if (attempt >= 5)
                {
                    var first = demands.First(d => d.Key == key);
                    throw new ConflictException(Item(first.Index, Messages.Format("The stock of {0} changed while order {1} was reserving it; try again.", first.Product.Sku, orders[first.Index].Number)));
                }
                Allot(key, await book.ReadAsync(key.WarehouseId, key.ProductId, ct));
                ThrowIfShort();
            }
        }
        foreach (var demand in demands)
        {
            demand.Reservation.Reserved += allotted[demand];
            demand.Reservation.ChangedAt = now;
        }

        void Allot((Guid WarehouseId, Guid ProductId) key, (decimal OnHand, decimal Reserved) level)
        {
            var left = level.OnHand - level.Reserved;
            foreach (var demand in demands.Where(d => d.Key == key))
            {
                var got = demand.Wanted;
                if (left < demand.Wanted)
                {
                    var available = Math.Max(0, left);
                    if (!options.Value.AllowBackorders)
                    {
                        shortages.Add((demand, Messages.Format("{0} {1}: {2} {3} needed, {4} available", demand.Product.Sku, demand.Product.Name,
                            StockDocumentService.Qty(demand.Wanted), demand.Product.Unit, StockDocumentService.Qty(available))));
                        got = 0;
                    }
                    else got = Math.Min(demand.Wanted, available);
                }
                allotted[demand] = got;
                left -= got;
            }
        }

        void ThrowIfShort()
        {
            if (shortages.Count == 0) return;
            var index = shortages.Min(s => s.Demand.Index);
            var texts = shortages.Where(s => s.Demand.Index == index).OrderBy(s => s.Demand.Product.Id).Select(s => s.Text);
            throw new ConflictException(Item(index, Messages.Format("Not enough stock for order {0}: {1}.", orders[index].Number, string.Join("; ", texts))));
        }
    }

    /// <summary>One order's want of one (warehouse, product); a class, so each is its own dictionary key.</summary>
    private sealed class Demand(int index, (Guid WarehouseId, Guid ProductId) key, Product product, StockReservation reservation, decimal wanted)
    {
        public int Index { get; } = index;
        public (Guid WarehouseId, Guid ProductId) Key { get; } = key;
        public Product Product { get; } = product;
        public StockReservation Reservation { get; } = reservation;
        public decimal Wanted { get; } = wanted;
    }

    /// <summary>
    /// The warehouse each order reserves in: an order from a sales channel in the channel's warehouse, when it names an active
    /// one (docs/commerce.md, "Outbound sync"); the company's default warehouse otherwise (missing when there is none). The
    /// channels and the active warehouses are read once for all the orders.
    /// </summary>
    private async Task<Dictionary<Guid, Guid?>> WarehousesOfAsync(IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var result = new Dictionary<Guid, Guid?>();
        if (orders.Count == 0) return result;
        var channelIds = orders.Where(o => o.ChannelId is not null).Select(o => o.ChannelId!.Value).Distinct().ToList();
        var codes = channelIds.Count == 0 ? []
            : await db.SalesChannels.Where(c => channelIds.Contains(c.Id)).Select(c => new { c.Id, c.DefaultWarehouseCode }).ToDictionaryAsync(c => c.Id, c => c.DefaultWarehouseCode, ct);
        var active = await db.Warehouses.AsNoTracking().Where(w => w.IsActive).Select(w => new { w.Id, w.Code, w.IsDefault }).ToListAsync(ct);
        var fallback = active.FirstOrDefault(w => w.IsDefault)?.Id;
        foreach (var order in orders)
        {
            var code = order.ChannelId is { } channelId ? codes.GetValueOrDefault(channelId) : null;
            result[order.Id] = (code is null ? null : active.FirstOrDefault(w => w.Code == code)?.Id) ?? fallback;
        }
        return result;
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
            else lines = await CheckedLinesAsync(order, command.Lines, reservations, warehouse, token);
            return await documents.CreateAndPostAsync(new SaveStockDocument(StockDocumentKind.WZ, warehouse, command.Date, lines,
                PartyId: order.PartyId, OrderId: order.Id, InvoiceId: order.InvoiceId, Notes: command.Notes), token);
        }, ct);
    }

    /// <summary>
    /// The lines of a partial issue, checked against the order before anything is written: each names one of the order's goods
    /// and asks at most what the order still needs of it (ordered − issued; several lines of one product count together) and
    /// what the warehouse holds for it (available plus the order's own reservation), else lines[i].productId / lines[i].quantity.
    /// The shape of a line (a product at all, a positive quantity of at most 4 decimals) is the stock document's rule, which
    /// names the same fields; such lines are left to it. The posting's conditional stock update still guards a concurrent issue.
    /// </summary>
    private async Task<IReadOnlyList<StockDocumentLineInput>> CheckedLinesAsync(Order order, IReadOnlyList<StockQuantityInput?> input,
        IReadOnlyList<StockReservation> reservations, Guid? warehouseId, CancellationToken ct)
    {
        var needed = (await GoodsOfAsync(order, ct)).ToDictionary(n => n.Key.Id, n => (Product: n.Key, Ordered: n.Value));
        var errors = new ValidationErrors();
        var asked = new Dictionary<Guid, decimal>();
        var fitting = new List<(int Index, Product Product, decimal Quantity)>();
        for (var i = 0; i < input.Count; i++)
        {
            if (input[i] is not { ProductId: { } productId, Quantity: { } quantity } || quantity <= 0) continue;
            if (!needed.TryGetValue(productId, out var goods))
            {
                // A service line of the order, or no product at all: the document says which.
                if (order.Lines.Any(l => l.ProductId == productId) || !await db.Products.AnyAsync(p => p.Id == productId, ct)) continue;
                errors.Add($"lines[{i}].productId", $"Order {order.Number} has no line of this product; only its own goods are issued for it.");
                continue;
            }
            var product = goods.Product;
            var left = Math.Max(0, goods.Ordered - (reservations.FirstOrDefault(r => r.ProductId == productId)?.Issued ?? 0));
            asked[productId] = asked.GetValueOrDefault(productId) + quantity;
            if (asked[productId] > left && left == 0)
                errors.Add($"lines[{i}].quantity", $"All {StockDocumentService.Qty(goods.Ordered)} {product.Unit} of {product.Sku} {product.Name} ordered were issued already.");
            else if (asked[productId] > left)
                errors.Add($"lines[{i}].quantity", $"Order {order.Number} needs {StockDocumentService.Qty(left)} {product.Unit} more of {product.Sku} {product.Name}; {StockDocumentService.Qty(asked[productId])} cannot be issued.");
            else fitting.Add((i, product, quantity));
        }
        warehouseId ??= await db.Warehouses.AsNoTracking().Where(w => w.IsDefault && w.IsActive).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(ct);
        if (warehouseId is { } warehouse && fitting.Count > 0)
        {
            var levels = await book.ReadManyAsync([.. fitting.Select(f => (warehouse, f.Product.Id)).Distinct()], ct);
            var code = await db.Warehouses.AsNoTracking().Where(w => w.Id == warehouse).Select(w => w.Code).FirstAsync(ct);
            var taken = new Dictionary<Guid, decimal>();
            foreach (var (index, product, quantity) in fitting)
            {
                var (onHand, reserved) = levels[(warehouse, product.Id)];
                var own = reservations.FirstOrDefault(r => r.ProductId == product.Id && r.WarehouseId == warehouse && !r.Released)?.Reserved ?? 0;
                var available = Math.Max(0, onHand - reserved + own);
                taken[product.Id] = taken.GetValueOrDefault(product.Id) + quantity;
                if (taken[product.Id] > available)
                    errors.Add($"lines[{index}].quantity",
                        $"Not enough {product.Sku} {product.Name} in {code}: {StockDocumentService.Qty(available)} {product.Unit} available for this order, {StockDocumentService.Qty(taken[product.Id])} asked.");
            }
        }
        errors.ThrowIfAny();
        return [.. input.Select(l => new StockDocumentLineInput(l?.ProductId, l?.Quantity))];
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
        var returned = await (from line in db.StockDocumentLines
                              join document in db.StockDocuments on line.DocumentId equals document.Id
                              where document.OrderId == orderId && document.Kind == StockDocumentKind.ZW && document.Status == StockDocumentStatus.Posted
                              select new { line.ProductId, line.Quantity }).AsNoTracking().ToListAsync(ct);
        var returnedBy = returned.GroupBy(r => r.ProductId).ToDictionary(g => g.Key, g => g.Sum(r => r.Quantity));
        var lines = reservations.OrderBy(r => products[r.ProductId].Sku).Select(r => new OrderStockLine(r.ProductId, products[r.ProductId].Sku, products[r.ProductId].Name,
            products[r.ProductId].Unit, r.Ordered, r.Reserved, r.Issued, r.Released ? 0 : Math.Max(0, r.Ordered - r.Issued - r.Reserved),
            returnedBy.GetValueOrDefault(r.ProductId))).ToList();
        var state = reservations.All(r => r.Released) ? OrderStockState.Released
            : lines.All(l => l.Issued >= l.Ordered) ? (AllCameBack(lines) ? OrderStockState.Returned : OrderStockState.Issued)
            : lines.Any(l => l.Issued > 0) ? OrderStockState.PartlyIssued
            : lines.Any(l => l.Backordered > 0) ? OrderStockState.Backordered
            : OrderStockState.Reserved;
        return new OrderStock(orderId, warehouseId, code, state, lines);
    }

    /// <summary>Everything that left came back (partly returned stays Issued; the lines show what came back).</summary>
    private static bool AllCameBack(IReadOnlyList<OrderStockLine> lines) =>
        lines.Any(l => l.Issued > 0) && lines.All(l => l.Reserved == 0 && l.Returned >= l.Issued);

    /// <summary>The order's goods (services have no stock) with the quantity ordered of each.</summary>
    private async Task<Dictionary<Product, decimal>> GoodsOfAsync(Order order, CancellationToken ct) => (await GoodsOfAsync([order], ct))[0];

    /// <summary><see cref="GoodsOfAsync(Order, CancellationToken)"/> of several orders, their products read in one query.</summary>
    private async Task<IReadOnlyList<Dictionary<Product, decimal>>> GoodsOfAsync(IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var ids = orders.SelectMany(o => o.Lines).Where(l => l.ProductId is not null).Select(l => l.ProductId!.Value).Distinct().ToList();
        var goods = new List<Product>();
        foreach (var chunk in ids.Chunk(500))
            goods.AddRange(await db.Products.AsNoTracking().Where(p => chunk.Contains(p.Id) && p.Kind == ProductKind.Goods).ToListAsync(ct));
        return orders.Select(order => goods.Where(p => order.Lines.Any(l => l.ProductId == p.Id))
            .ToDictionary(p => p, p => order.Lines.Where(l => l.ProductId == p.Id).Sum(l => l.Quantity))).ToList();
    }
}
