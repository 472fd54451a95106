using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Events;
using Kontor.Inventory;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Orders;

/// <summary>
/// Goods (or money) that came back on an order (docs/commerce.md "Returns and refunds"): what was credited, by which
/// correction invoice, whether the goods went back on stock (ZW) and what was refunded. Written once; never changed.
/// </summary>
public sealed class OrderReturn
{
    public const string DocumentType = "order-return";
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrderId { get; init; }
    public Guid PartyId { get; init; }
    public DateOnly Date { get; init; }
    public string Reason { get; init; } = "";
    /// <summary>The goods were received back on stock (a posted ZW, <see cref="StockDocumentId"/>).</summary>
    public bool Restocked { get; init; }
    public Guid? CorrectionInvoiceId { get; init; }
    public Guid? StockDocumentId { get; init; }
    /// <summary>
    /// The refund's first outgoing payment — through the account of the invoice's newest incoming money. A refund of money that
    /// came in two ways has one payment per account: all of them, with what each gave back, are in <see cref="Refunds"/>.
    /// </summary>
    public Guid? RefundPaymentId { get; init; }
    /// <summary>What the correction lowered the invoice by (positive, gross), and what was paid back of it (all <see cref="Refunds"/> together).</summary>
    public decimal CreditedGross { get; init; }
    public decimal RefundedAmount { get; init; }
    public string Currency { get; init; } = "PLN";
    /// <summary>The shop's refund this return applies (e.g. "shopify-refund:123", "refunded"): one return per (order, refund), however often it is delivered.</summary>
    public string? ExternalRefundId { get; init; }
    /// <summary>
    /// The order was not shipped: the refund cancelled it (reservation released). Goods issued on a WZ before are in <see cref="Lines"/>
    /// (restocked on the ZW unless the channel keeps refunded goods off stock or they had been received back by hand).
    /// </summary>
    public bool CancelledOrder { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public List<OrderReturnLine> Lines { get; init; } = [];
    /// <summary>The refund's parts, one per incoming payment given back (and one for a credit no payment covers); empty when nothing was refunded.</summary>
    public List<OrderReturnRefund> Refunds { get; init; } = [];

    /// <summary>The parts as they are shown: those of <see cref="RefundPaymentId"/> (the newest money's account) first, then by account, then as recorded.</summary>
    public IEnumerable<OrderReturnRefund> RefundsInOrder() =>
        Refunds.OrderByDescending(r => r.RefundPaymentId == RefundPaymentId).ThenBy(r => r.Via).ThenBy(r => r.Id);

    /// <summary>What went back through each account (one refund payment each), in the order of <see cref="RefundsInOrder"/>.</summary>
    public IReadOnlyList<(PaymentVia Via, decimal Amount)> RefundedVia() =>
        RefundsInOrder().GroupBy(r => r.Via).Select(g => (g.Key, g.Sum(r => r.Amount))).ToList();
}

/// <summary>
/// One part of a return's refund (docs/commerce.md "Returns and refunds", decision 51): this much of the invoice's incoming payment
/// <see cref="IncomingPaymentId"/> went back through the account it came in on (<see cref="Via"/>) by the outgoing payment
/// <see cref="RefundPaymentId"/>. Null <see cref="IncomingPaymentId"/>: a credit the invoice's recorded payments do not cover, refunded
/// through the default account. Later returns of the same invoice read these rows to know what of each payment is already given back.
/// </summary>
public sealed class OrderReturnRefund
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ReturnId { get; init; }
    public Guid RefundPaymentId { get; init; }
    /// <summary>The invoice the incoming payment paid (the order's invoice the return corrected).</summary>
    public Guid InvoiceId { get; init; }
    public Guid? IncomingPaymentId { get; init; }
    public PaymentVia Via { get; init; }
    public decimal Amount { get; init; }
}

/// <summary>An incoming payment of an invoice: the account it came through and how much of what it paid of the invoice is not given back yet.</summary>
public sealed record MoneyIn(Guid PaymentId, PaymentVia Via, decimal Left);

/// <summary>A part of a refund: how much goes back through which account, giving back which incoming payment (null: a credit from elsewhere).</summary>
public sealed record RefundPart(PaymentVia Via, Guid? IncomingPaymentId, decimal Amount)
{
    /// <summary>
    /// The credit to refund covered by the invoice's incoming payments, newest first (LIFO: the most recent money goes back first,
    /// decision 51), each part at most what is left of its payment; what no recorded payment covers goes through <paramref name="otherwise"/>.
    /// </summary>
    public static IReadOnlyList<RefundPart> Split(decimal credit, IReadOnlyList<MoneyIn> newestFirst, PaymentVia otherwise)
    {
        var parts = new List<RefundPart>();
        var left = credit;
        foreach (var money in newestFirst)
        {
            if (left <= 0) break;
            var take = Math.Min(left, money.Left);
            if (take <= 0) continue;
            parts.Add(new RefundPart(money.Via, money.PaymentId, take));
            left -= take;
        }
        if (left > 0) parts.Add(new RefundPart(otherwise, null, left));
        return parts;
    }
}

public sealed class OrderReturnLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ReturnId { get; init; }
    public Guid ProductId { get; init; }
    public decimal Quantity { get; init; }
    public bool Restocked { get; init; }
}

/// <param name="Restock">Null: as the return says (<see cref="ReturnGoods.Restock"/>); false: credited without the goods coming back on stock.</param>
public sealed record ReturnLineInput(Guid? ProductId, decimal? Quantity, bool? Restock = null);

/// <param name="Lines">What comes back; null = everything issued (WZ) and not yet returned.</param>
/// <param name="Refund">Pay back what the customer had paid for it (only when the invoice was paid: the correction leaves a credit).</param>
/// <param name="Restock">Receive the goods back on stock (ZW); false for a refund without the goods (lost parcel, "keep it").</param>
/// <param name="ExternalRefundId">The shop's refund this applies; a second request with the same id returns the first return.</param>
public sealed record ReturnGoods(IReadOnlyList<ReturnLineInput?>? Lines, string? Reason, DateOnly? Date = null, bool Refund = false,
    bool Restock = true, string? ExternalRefundId = null);

/// <param name="ReceivedBack">On posted ZWs of the order — by returns AND by hand (POST /api/orders/{id}/stock-return).</param>
public sealed record ReturnableLine(Guid ProductId, string Sku, string Name, string Unit, decimal Issued, decimal Returned, decimal ReceivedBack = 0m)
{
    /// <summary>May still be credited by a return: issued − credited by returns.</summary>
    public decimal Returnable => Issued - Returned;
    /// <summary>May still come back on stock: issued − everything already received back on ZWs.</summary>
    public decimal Restockable => Math.Max(0m, Issued - ReceivedBack);
}

public sealed record OrderReturnView(OrderReturn Return, string? CorrectionNumber, string? StockDocumentNumber, string? RefundReference);

/// <summary>The returns side of an order: what may still come back and the returns so far.</summary>
public sealed record OrderReturns(IReadOnlyList<ReturnableLine> Lines, IReadOnlyList<OrderReturnView> Returns, bool CanReturn);

/// <summary>
/// Returns and refunds of orders (docs/commerce.md "Returns and refunds", docs/decisions.md §39): in ONE transaction an issued
/// correction invoice of the order's invoice for what came back (<see cref="CorrectionService"/>, posted by its event), a posted ZW
/// at the issue cost (<see cref="IOrderFulfilment.ReceiveReturnAsync"/>), the refund (an outgoing <see cref="PaymentService"/>
/// payment settling the correction's credit) and the order's status. The order row's version is taken first, so two requests
/// for the same order cannot both write (the second gets 409, or on SQLite's single writer sees the first's return).
/// </summary>
public sealed class OrderReturnService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    CorrectionService corrections,
    InvoiceService invoices,
    PaymentService payments,
    OrderFulfilment fulfilment,
    BusinessCalendar calendar,
    TimeProvider clock,
    ICurrentActor actor,
    OrderService orders)
{
    public const int MaxReasonLength = 500;

    public async Task<OrderReturn> ReturnAsync(Guid orderId, ReturnGoods command, CancellationToken ct = default)
    {
        if (command is null) throw new ValidationException("body", "A return is required.");
        var errors = new ValidationErrors();
        var reason = errors.Text(command.Reason, "reason", MaxReasonLength);
        var input = command.Lines;
        if (input is { Count: 0 }) errors.Add("lines", "Give the returned lines, or leave lines out to return everything issued.");
        if (input is { Count: > InvoiceService.MaxLines }) errors.Add("lines", $"A return has at most {InvoiceService.MaxLines} lines.");
        var seen = new HashSet<Guid>();
        for (var i = 0; input is not null && i < input.Count; i++)
        {
            var line = input[i];
            if (line is null) { errors.Add($"lines[{i}]", "line is required."); continue; }
            if (line.ProductId is not { } productId) errors.Add($"lines[{i}].productId", "productId is required.");
            else if (!seen.Add(productId)) errors.Add($"lines[{i}].productId", "The product appears twice; give one line per product.");
            errors.Require(line.Quantity is { } q && q > 0 && q < 1_000_000_000m && decimal.Round(q, 4) == q, $"lines[{i}].quantity",
                "quantity must be greater than zero, with at most 4 decimal places.");
        }
        errors.ThrowIfAny();

        return await unitOfWork.ExecuteAsync(async token =>
        {
            var (current, done) = await FindAsync(orderId, command.ExternalRefundId, token);
            if (done is not null) return done;
            if (current.Status is not (OrderStatus.Shipped or OrderStatus.Delivered))
                throw new ConflictException($"Order {current.Number} is {Name(current.Status)}: only a shipped or delivered order takes goods back.");
            var order = await LockAsync(orderId, current.Version, current.Number, token);

            var returnable = await ReturnableAsync(order.Id, token);
            var wanted = new List<GoodsBack>();
            if (input is null)
            {
                wanted.AddRange(returnable.Where(l => l.Returnable > 0).Select(l => new GoodsBack(l, l.Returnable, command.Restock)));
                if (wanted.Count == 0)
                    throw returnable.Count == 0
                        ? new ConflictException($"Order {order.Number} has no goods issued (WZ): nothing can come back.")
                        : new ConflictException($"Everything issued for order {order.Number} has already come back.");
            }
            else
            {
                var lineErrors = new ValidationErrors();
                for (var i = 0; i < input.Count; i++)
                {
                    var line = input[i]!;
                    var issued = returnable.FirstOrDefault(l => l.ProductId == line.ProductId);
                    if (issued is null)
                        lineErrors.Add($"lines[{i}].productId", $"Order {order.Number} issued no such goods (product {line.ProductId}).");
                    else if (line.Quantity > issued.Returnable)
                        lineErrors.Add($"lines[{i}].quantity", $"{issued.Sku} {issued.Name}: at most {Qty(issued.Returnable)} {issued.Unit} can come back " +
                                                               $"(issued {Qty(issued.Issued)}, already returned {Qty(issued.Returned)}).");
                    else wanted.Add(new GoodsBack(issued, line.Quantity!.Value, line.Restock ?? command.Restock));
                }
                lineErrors.ThrowIfAny();
            }
            var complete = returnable.All(l => l.Returnable == wanted.Where(w => w.Line.ProductId == l.ProductId).Sum(w => w.Quantity));
            var date = command.Date ?? calendar.Today();
            // Like OrderService's dates: not in the future, not before the goods shipped nor before the invoice being corrected.
            var invoiceIssued = order.InvoiceId is { } invoiceOfOrder
                ? await db.Invoices.AsNoTracking().Where(i => i.Id == invoiceOfOrder).Select(i => i.IssueDate).FirstOrDefaultAsync(token)
                : null;
            if (date > calendar.Today()) throw new ValidationException("date", $"The date may not be in the future (today is {calendar.Today():yyyy-MM-dd}).");
            if (order.ShippedOn is { } shipped && date < shipped) throw new ValidationException("date", $"The date may not be before the day it shipped ({shipped:yyyy-MM-dd}).");
            if (invoiceIssued is { } issuedOn && date < issuedOn) throw new ValidationException("date", $"The date may not be before the invoice's issue date ({issuedOn:yyyy-MM-dd}).");
            var text = ReturnText(order, reason!);

            var correction = await CorrectAsync(order, wanted.Select(w => (w.Line.ProductId, w.Quantity)).ToList(), complete, text, date, token);
            return await TakeBackAsync(order, correction, new TakeBack(reason!, text, date, command.ExternalRefundId, wanted, command.Refund, complete,
                complete ? OrderStatus.Returned : null, "order.returned"), token);
        }, ct);
    }

    /// <summary>
    /// A refund of an order that has not been shipped (the shop refunded it before the goods left): the order is cancelled and, when
    /// it was invoiced, the invoice is reversed by an issued correction and the payment refunded. Goods a person already issued on a
    /// WZ of the order (packed before the refund came) come back on a ZW at their issue cost when <paramref name="restock"/> says so
    /// (the channel's <c>RestockOnRefund</c>) — only what has not been received back by hand yet — and what is still reserved is
    /// released. A cancelled order is left as it is. One per (order, <paramref name="externalRefundId"/>).
    /// </summary>
    public async Task<OrderReturn?> CancelAndRefundAsync(Guid orderId, string reason, string externalRefundId, bool restock = true, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var (current, done) = await FindAsync(orderId, externalRefundId, token);
            if (done is not null) return done;
            if (current.Status == OrderStatus.Cancelled) return null;
            if (current.Status is not (OrderStatus.Accepted or OrderStatus.InProgress))
                throw new ConflictException($"Order {current.Number} is {Name(current.Status)}; a shipped order's refund is a return.");
            var order = await LockAsync(orderId, current.Version, current.Number, token);
            var date = calendar.Today();
            var text = ReturnText(order, reason);
            Invoice? correction = null;
            if (order.InvoiceId is { } invoiceId)
            {
                if (await db.Invoices.AsNoTracking().AnyAsync(i => i.Id == invoiceId && i.Status != InvoiceStatus.Issued, token))
                    throw new ConflictException($"Order {order.Number} has an invoice draft: delete or issue it before the refund is applied.");
                // A full reversal undoes the whole invoice; when other orders share it, only a person can say which lines go.
                if (await db.Orders.AsNoTracking().AnyAsync(o => o.InvoiceId == invoiceId && o.Id != order.Id, token))
                    throw new ConflictException($"The invoice of order {order.Number} covers other orders too: correct it by hand, then cancel the order.");
                correction = await IssueCorrectionAsync(order, invoiceId, new CreateCorrection(TextLength.Cut(text, CorrectionService.MaxReasonLength), null, true, null), token);
            }
            // Everything the order's WZs issued and no return credited comes back with the cancellation (the full reversal credited it).
            var goods = (await ReturnableAsync(order.Id, token)).Where(l => l.Returnable > 0).Select(l => new GoodsBack(l, l.Returnable, restock)).ToList();
            // Cancelled although invoiced: the correction above took the whole invoice back, which is what ChangeStatusAsync asks for.
            return await TakeBackAsync(order, correction, new TakeBack(TextLength.Cut(reason, MaxReasonLength), text, date, externalRefundId, goods, Refund: true,
                Complete: true, Then: OrderStatus.Cancelled, "order.refunded-cancelled"), token);
        }, ct);

    /// <summary>Per goods product of the order: issued on posted WZs, and credited by returns so far.</summary>
    public async Task<IReadOnlyList<ReturnableLine>> ReturnableAsync(Guid orderId, CancellationToken ct = default)
    {
        var issued = await db.StockDocuments.AsNoTracking()
            .Where(d => d.OrderId == orderId && d.Kind == StockDocumentKind.WZ && d.Status == StockDocumentStatus.Posted)
            .SelectMany(d => d.Lines).GroupBy(l => l.ProductId).Select(g => new { ProductId = g.Key, Quantity = g.Sum(l => l.Quantity) }).ToListAsync(ct);
        if (issued.Count == 0) return [];
        var returned = await db.Set<OrderReturn>().AsNoTracking().Where(r => r.OrderId == orderId).SelectMany(r => r.Lines)
            .GroupBy(l => l.ProductId).Select(g => new { ProductId = g.Key, Quantity = g.Sum(l => l.Quantity) }).ToListAsync(ct);
        var receivedBack = await db.StockDocuments.AsNoTracking()
            .Where(d => d.OrderId == orderId && d.Kind == StockDocumentKind.ZW && d.Status == StockDocumentStatus.Posted)
            .SelectMany(d => d.Lines).Select(l => new { l.ProductId, l.Quantity }).ToListAsync(ct);
        var ids = issued.Select(i => i.ProductId).ToList();
        var products = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return issued.Select(i => new ReturnableLine(i.ProductId, products[i.ProductId].Sku, products[i.ProductId].Name, products[i.ProductId].Unit,
                i.Quantity, returned.FirstOrDefault(r => r.ProductId == i.ProductId)?.Quantity ?? 0m,
                receivedBack.Where(r => r.ProductId == i.ProductId).Sum(r => r.Quantity)))
            .OrderBy(l => l.Sku, StringComparer.Ordinal).ToList();
    }

    public async Task<OrderReturns> ForOrderAsync(Guid orderId, CancellationToken ct = default)
    {
        var status = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => (OrderStatus?)o.Status).FirstOrDefaultAsync(ct)
                     ?? throw new NotFoundException("Order", orderId);
        var lines = await ReturnableAsync(orderId, ct);
        var returns = await db.Set<OrderReturn>().AsNoTracking().Include(r => r.Lines).Include(r => r.Refunds).Where(r => r.OrderId == orderId)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct);
        var invoiceIds = returns.Select(r => r.CorrectionInvoiceId).OfType<Guid>().ToList();
        var stockIds = returns.Select(r => r.StockDocumentId).OfType<Guid>().ToList();
        var paymentIds = returns.Select(r => r.RefundPaymentId).OfType<Guid>().ToList();
        var numbers = await db.Invoices.AsNoTracking().Where(i => invoiceIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Number, ct);
        var stockNumbers = await db.StockDocuments.AsNoTracking().Where(d => stockIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Number, ct);
        var refundPayments = await db.Payments.AsNoTracking().Where(p => paymentIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new { p.Reference, p.Via }, ct);
        // A return refunded before the parts were recorded shows its one refund payment as its one part (display only, not saved:
        // CameInAsync tells those returns by their missing parts).
        foreach (var r in returns.Where(r => r.RefundedAmount > 0 && r.Refunds.Count == 0 && r.RefundPaymentId is not null))
            if (refundPayments.GetValueOrDefault(r.RefundPaymentId!.Value) is { } refund)
                r.Refunds.Add(new OrderReturnRefund { ReturnId = r.Id, RefundPaymentId = r.RefundPaymentId.Value, InvoiceId = Guid.Empty, Via = refund.Via, Amount = r.RefundedAmount });
        var references = refundPayments.ToDictionary(p => p.Key, p => p.Value.Reference);
        return new OrderReturns(lines,
            returns.Select(r => new OrderReturnView(r,
                r.CorrectionInvoiceId is { } c ? numbers.GetValueOrDefault(c) : null,
                r.StockDocumentId is { } s ? stockNumbers.GetValueOrDefault(s) : null,
                r.RefundPaymentId is { } p ? references.GetValueOrDefault(p) : null)).ToList(),
            status is OrderStatus.Shipped or OrderStatus.Delivered && lines.Any(l => l.Returnable > 0));
    }

    /// <summary>
    /// Takes the order: a conditional update of its version. On PostgreSQL a concurrent return waits for this row and then finds the
    /// version changed (0 rows → 409); on SQLite the single writer runs them one after the other and the second sees the first's return.
    /// Returns of two orders on ONE invoice are kept from giving back the same payment twice by the correction, issued before the
    /// refund is split: it locks the original invoice (InvoiceService, FOR UPDATE on PostgreSQL; the write gate on SQLite), so the
    /// second return reads the first one's committed refund parts.
    /// </summary>
    private async Task<Order> LockAsync(Guid orderId, Guid version, string number, CancellationToken ct)
    {
        var taken = await db.Orders.Where(o => o.Id == orderId && o.Version == version)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.Version, Guid.NewGuid()), ct);
        if (taken == 0) throw new ConflictException($"Order {number} was changed by someone else (another return?); reload it and try again.");
        var order = await db.Orders.Include(o => o.Lines).FirstAsync(o => o.Id == orderId, ct);
        // The caller's unit of work (a shop delivery) may track the order already, with the version before this update.
        await db.Entry(order).ReloadAsync(ct);
        return order;
    }

    private sealed record OrderState(string Number, OrderStatus Status, Guid Version);

    /// <summary>The order as it is now, and the return already made for this shop refund (a repeated delivery), if any.</summary>
    private async Task<(OrderState Current, OrderReturn? Done)> FindAsync(Guid orderId, string? externalRefundId, CancellationToken ct)
    {
        var current = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new OrderState(o.Number, o.Status, o.Version)).FirstOrDefaultAsync(ct)
                      ?? throw new NotFoundException("Order", orderId);
        var done = externalRefundId is null ? null
            : await db.Set<OrderReturn>().AsNoTracking().Include(r => r.Lines).Include(r => r.Refunds).FirstOrDefaultAsync(r => r.OrderId == orderId && r.ExternalRefundId == externalRefundId, ct);
        return (current, done);
    }

    /// <summary>Goods of the order coming back: how many are credited, and whether they should go back on stock.</summary>
    private sealed record GoodsBack(ReturnableLine Line, decimal Quantity, bool Restock);

    /// <summary>What a return or a refund's cancellation takes back once its checks passed and its correction was issued.</summary>
    /// <param name="Then">The order's next status: Returned when everything came back, Cancelled (its reservation released first), or none.</param>
    private sealed record TakeBack(string Reason, string Text, DateOnly Date, string? ExternalRefundId, IReadOnlyList<GoodsBack> Goods,
        bool Refund, bool Complete, OrderStatus? Then, string AuditAction);

    /// <summary>
    /// The steps every return shares after its correction (null when the order was never invoiced), in the caller's transaction: the
    /// goods back on a posted ZW at the issue cost — only what has not come back on a ZW yet (a person may have received some back by
    /// hand), so nothing is restocked twice —, the refund of the correction's credit, the <see cref="OrderReturn"/> row, the audit record
    /// and the order's move.
    /// </summary>
    private async Task<OrderReturn> TakeBackAsync(Order order, Invoice? correction, TakeBack back, CancellationToken ct)
    {
        var goods = back.Goods.Select(g => g with { Restock = g.Restock && g.Line.Restockable > 0 }).ToList();
        var restocked = goods.Where(g => g.Restock).ToList();
        StockDocument? zw = null;
        if (restocked.Count > 0)
            zw = await fulfilment.ReceiveReturnAsync(new ReceiveReturn(order.Id, correction?.Id,
                restocked.Select(g => new StockQuantityInput(g.Line.ProductId, Math.Min(g.Quantity, g.Line.Restockable))).ToList(), back.Date, TextLength.Cut(back.Text, 500)), ct);
        var refunds = back.Refund && correction is not null ? await RefundAsync(order, correction, back.Date, ct) : [];

        var result = Record(order, correction, zw, refunds, back.Reason, back.Date, back.ExternalRefundId, cancelled: back.Then == OrderStatus.Cancelled,
            goods.Select(g => (g.Line.ProductId, g.Quantity, g.Restock)).ToList());
        audit.Record(back.AuditAction, nameof(Order), order.Id, new
        {
            order.Number, returnId = result.Id, reason = back.Reason, date = back.Date, complete = back.Complete, correction = correction?.Number,
            credited = result.CreditedGross, stockDocument = zw?.Number, refunded = result.RefundedAmount, result.ExternalRefundId,
            refunds = result.Refunds.Select(r => new { r.RefundPaymentId, via = r.Via.ToString(), r.Amount, r.IncomingPaymentId }),
            lines = result.Lines.Select(l => new { l.ProductId, l.Quantity, l.Restocked }),
        });
        if (back.Then == OrderStatus.Cancelled) await fulfilment.ReleaseAsync(order.Id, ct);   // what was not issued; the move records the cancellation
        if (back.Then is { } next) await orders.MoveAsync(order, next, ct);
        return result;
    }

    /// <summary>The issued correction, linked to the order: drafted by <see cref="CorrectionService"/>, issued (and posted) by <see cref="InvoiceService"/>.</summary>
    private async Task<Invoice> IssueCorrectionAsync(Order order, Guid invoiceId, CreateCorrection command, CancellationToken ct)
    {
        var draft = await corrections.CreateDraftAsync(invoiceId, command, ct);
        await db.SaveChangesAsync(ct);
        var issued = await invoices.IssueAsync(draft.Id, ct);
        await db.SaveChangesAsync(ct);
        LinkOrderTo(order, NumberingSeries.CorrectionDocumentType, issued.Id);
        return issued;
    }

    private static string ReturnText(Order order, string reason) => $"Zwrot do zamówienia {order.Number}: {reason}";

    /// <summary>
    /// The issued correction of the order's invoice lowering the returned goods' lines (their positions in order, as many as the invoice
    /// still has), and — when the return completes the order — the order's free-text lines (shipping: a consumer who withdraws gets the
    /// delivery cost back, art. 32 ustawy o prawach konsumenta). Refused (409) when the order has no issued invoice.
    /// </summary>
    private async Task<Invoice> CorrectAsync(Order order, IReadOnlyList<(Guid ProductId, decimal Quantity)> goods, bool complete, string reason, DateOnly date, CancellationToken ct)
    {
        if (order.InvoiceId is not { } invoiceId)
            throw new ConflictException($"Order {order.Number} is not invoiced: invoice the order first — a return corrects its invoice.");
        var invoice = await db.Invoices.AsNoTracking().Where(i => i.Id == invoiceId).Select(i => new { i.Status, i.Number }).FirstAsync(ct);
        if (invoice.Status != InvoiceStatus.Issued)
            throw new ConflictException($"The invoice of order {order.Number} is a draft: issue it first — a return corrects an issued invoice.");
        var state = await corrections.CorrectableStateAsync(invoiceId, ct);
        var after = state.Lines.ToDictionary(l => l.Position, l => l.Quantity);
        foreach (var (productId, quantity) in goods)
        {
            var left = quantity;
            foreach (var line in state.Lines.Where(l => l.ProductId == productId).OrderBy(l => l.Position))
            {
                var take = Math.Min(left, after[line.Position]);
                after[line.Position] -= take;
                left -= take;
                if (left == 0) break;
            }
            if (left > 0)
            {
                var name = await db.Products.AsNoTracking().Where(p => p.Id == productId).Select(p => p.Sku + " " + p.Name).FirstAsync(ct);
                throw new ConflictException($"Invoice {invoice.Number} has less of {name} left than comes back ({Qty(left)} more): it was already corrected; correct it by hand.");
            }
        }
        if (complete)
            foreach (var orderLine in order.Lines.Where(l => l.ProductId is null))
            {
                var left = orderLine.Quantity;
                foreach (var line in state.Lines.Where(l => l.ProductId is null && l.Description == orderLine.Description && l.UnitPrice == orderLine.UnitPrice).OrderBy(l => l.Position))
                {
                    var take = Math.Min(left, after[line.Position]);
                    after[line.Position] -= take;
                    left -= take;
                    if (left == 0) break;
                }
            }
        var changes = state.Lines.Where(l => after[l.Position] != l.Quantity)
            .Select(l => new CorrectionLineInput(l.Position, after[l.Position], null, null, null)).ToList();
        return await IssueCorrectionAsync(order, invoiceId, new CreateCorrection(TextLength.Cut(reason, CorrectionService.MaxReasonLength), date, false, changes), ct);
    }

    /// <summary>A refund payment and the parts of the incoming money it gives back.</summary>
    private sealed record Refunded(Payment Payment, IReadOnlyList<RefundPart> Parts);

    /// <summary>
    /// Pays back the credit the correction left (the customer had paid more than it now owes) the way the money came
    /// (<see cref="RefundPart.Split"/>): the invoice's incoming payments newest first, each part through the account its payment went
    /// through (<see cref="Payment.Via"/>: the gateway's clearing account 145 for what the shop reported, the bank 130 for a transfer); what
    /// they do not cover through the gateway for a shop order, the bank otherwise. One outgoing payment per account, each settling its
    /// part of the correction's credit (and realising its own exchange difference), in the caller's transaction. Nothing when nothing was paid.
    /// </summary>
    private async Task<IReadOnlyList<Refunded>> RefundAsync(Order order, Invoice correction, DateOnly date, CancellationToken ct)
    {
        var credit = await db.OpenItems.AsNoTracking()
            .Where(o => o.SourceId == correction.Id && o.PartyId == order.PartyId && o.Side == OpenItemSide.Credit && o.OpenAmount > 0)
            .Select(o => (decimal?)o.OpenAmount).FirstOrDefaultAsync(ct);
        if (credit is not { } amount) return [];
        var otherwise = order.ChannelId is null ? PaymentVia.Bank : PaymentVia.GatewayClearing;
        var parts = RefundPart.Split(amount, order.InvoiceId is { } invoiceId ? await CameInAsync(invoiceId, ct) : [], otherwise);
        // GroupBy keeps the order of first appearance: the newest money's account pays first.
        var byAccount = parts.GroupBy(p => p.Via).Select(g => g.ToList()).ToList();
        var commands = byAccount.Select(g => new RegisterPayment(order.PartyId, date, g.Sum(p => p.Amount), correction.Currency, $"Zwrot {order.Number} / {correction.Number}",
            [new AllocationInput(correction.Id, g.Sum(p => p.Amount))], PaymentDirection.Outgoing, Via: g[0].Via, CustomerRefund: true)).ToList();
        var results = commands.Count == 1 ? [await payments.RegisterAsync(commands[0], ct)] : await payments.RegisterManyAsync(commands, ct);
        return results.Select((r, i) => new Refunded(r.Payment, byAccount[i])).ToList();
    }

    /// <summary>
    /// The incoming payments of the invoice and of its corrections (a return's correction lowers the whole chain, so money
    /// paid on an increasing correction is money of this sale too), newest first (date, then registration), each with what it
    /// paid of them less what earlier returns already gave back of it (<see cref="OrderReturnRefund"/> rows of this invoice;
    /// for returns made before those rows existed, their refunded total taken off the newest payments).
    /// </summary>
    private async Task<IReadOnlyList<MoneyIn>> CameInAsync(Guid invoiceId, CancellationToken ct)
    {
        var chain = db.Invoices.Where(i => i.Id == invoiceId || i.OriginalInvoiceId == invoiceId).Select(i => i.Id);
        // Through the receivables (indexed by source), not the allocations' own SourceId, which has no index.
        var paid = await (
                from item in db.OpenItems
                where chain.Contains(item.SourceId) && item.Side == OpenItemSide.Receivable
                join allocation in db.PaymentAllocations on item.Id equals allocation.OpenItemId
                join payment in db.Payments on allocation.PaymentId equals payment.Id
                where payment.Direction == PaymentDirection.Incoming
                select new { payment.Id, payment.Date, payment.RegisteredAt, payment.Via, allocation.Amount })
            .AsNoTracking().ToListAsync(ct);
        if (paid.Count == 0) return [];
        var givenBack = (await db.Set<OrderReturnRefund>().AsNoTracking().Where(r => r.InvoiceId == invoiceId && r.IncomingPaymentId != null)
                .Select(r => new { r.IncomingPaymentId, r.Amount }).ToListAsync(ct))
            .GroupBy(r => r.IncomingPaymentId!.Value).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));
        // Returns refunded before the parts were recorded (one refund payment, no part rows) gave their money back off the newest
        // payments first, as far as anyone can tell now: that is what the split would have done.
        var ordersOfTheInvoice = db.Orders.Where(o => o.InvoiceId == invoiceId).Select(o => o.Id);
        var refundedBefore = (await db.Set<OrderReturn>().AsNoTracking()
                .Where(r => r.RefundedAmount > 0 && !r.Refunds.Any() && ordersOfTheInvoice.Contains(r.OrderId))
                .Select(r => r.RefundedAmount).ToListAsync(ct)).Sum();
        // Sorted here, not in SQL: the providers order Guids differently (SQLite as text).
        var newestFirst = paid.GroupBy(p => p.Id)
            .Select(g => (First: g.First(), Paid: g.Sum(p => p.Amount)))
            .OrderByDescending(p => p.First.Date).ThenByDescending(p => p.First.RegisteredAt).ThenByDescending(p => p.First.Id)
            .Select(p => new MoneyIn(p.First.Id, p.First.Via, p.Paid - givenBack.GetValueOrDefault(p.First.Id)))
            .ToList();
        for (var i = 0; i < newestFirst.Count && refundedBefore > 0; i++)
        {
            var taken = Math.Min(refundedBefore, Math.Max(0m, newestFirst[i].Left));
            newestFirst[i] = newestFirst[i] with { Left = newestFirst[i].Left - taken };
            refundedBefore -= taken;
        }
        return newestFirst;
    }

    private OrderReturn Record(Order order, Invoice? correction, StockDocument? zw, IReadOnlyList<Refunded> refunds, string reason, DateOnly date,
        string? externalRefundId, bool cancelled, IReadOnlyList<(Guid ProductId, decimal Quantity, bool Restock)> lines)
    {
        var record = new OrderReturn
        {
            OrderId = order.Id, PartyId = order.PartyId, Date = date, Reason = reason, Restocked = zw is not null,
            CorrectionInvoiceId = correction?.Id, StockDocumentId = zw?.Id, RefundPaymentId = refunds.FirstOrDefault()?.Payment.Id,
            CreditedGross = correction is null ? 0 : -correction.TotalGross, RefundedAmount = refunds.Sum(r => r.Payment.Amount),
            Currency = order.Currency, ExternalRefundId = externalRefundId, CancelledOrder = cancelled,
            CreatedAt = clock.GetUtcNow(), CreatedBy = actor.Name,
        };
        foreach (var (productId, quantity, restock) in lines)
            record.Lines.Add(new OrderReturnLine { ReturnId = record.Id, ProductId = productId, Quantity = quantity, Restocked = restock });
        foreach (var (payment, parts) in refunds)
            foreach (var part in parts)
                record.Refunds.Add(new OrderReturnRefund
                {
                    ReturnId = record.Id, RefundPaymentId = payment.Id, InvoiceId = order.InvoiceId!.Value, IncomingPaymentId = part.IncomingPaymentId,
                    Via = part.Via, Amount = part.Amount,
                });
        db.Set<OrderReturn>().Add(record);
        order.Version = Guid.NewGuid();
        return record;
    }

    private void LinkOrderTo(Order order, string toType, Guid toId) =>
        db.DocumentLinks.Add(new DocumentLink { FromType = Order.DocumentType, FromId = order.Id, ToType = toType, ToId = toId, CreatedAt = clock.GetUtcNow() });

    private static string Qty(decimal q) => StockDocumentService.Qty(q);
    private static Order.StatusWord Name(OrderStatus status) => Order.Said(status);
}
