using Kontor.Common;
using Kontor.Company;
using Kontor.Events;
using Kontor.Ledger;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Commerce;

/// <summary>
/// A delivery applied to an order: the steps after it run in the delivery's transaction. What the shop says (paid,
/// refunded…) is in <see cref="ShopOrder"/>; steps must be idempotent, a later delivery says it again.
/// </summary>
public sealed record ShopOrderEvent(SalesChannel Channel, Guid OrderId, ShopOrder ShopOrder);

/// <summary>
/// The extension point of the shop order flow (docs/commerce.md, "What comes after the order"): every registered step
/// runs, in registration order, inside the delivery's transaction after the order was created or updated; a step that
/// throws rolls the whole delivery back (the shop retries). Steps must be idempotent — deliveries repeat.
/// The steps are the registrations of IShopOrderStep in KontorServices (docs/commerce.md lists what each does).
/// </summary>
public interface IShopOrderStep
{
    Task RunAsync(ShopOrderEvent e, CancellationToken ct);
}

/// <summary>
/// A step that can take the new orders of a batch of deliveries at once (docs/commerce.md "Batched ingestion"): the result
/// must be what <see cref="IShopOrderStep.RunAsync"/> gives each event in turn. Deliveries are batched only while every
/// registered step is one of these; a step that is not makes every delivery go one at a time.
/// </summary>
public interface IShopOrderBatchStep : IShopOrderStep
{
    Task RunAsync(IReadOnlyList<ShopOrderEvent> events, CancellationToken ct);
}

/// <summary>
/// THE one place that invoices a shop order and registers the shop's gateway payment, for both invoice moments
/// (docs/commerce.md, "Invoice moments"): the invoice is made from the order (<see cref="OrderService.InvoiceAsync"/>),
/// issued (<see cref="InvoiceService.IssueAsync(Guid, CancellationToken)"/>, posted to the ledger by its event) and,
/// when the shop has said the order is paid, the payment is registered against it. Runs inside the caller's unit of work.
/// </summary>
/// <remarks>
/// When the payment is registered: exactly once, at the LATER of the two facts it needs — the shop said paid (remembered
/// once, <see cref="Order.PaidAtShopOn"/>; later "paid" deliveries change nothing) and the order's invoice issued (an invoice
/// is issued once). Whichever comes second pays: <see cref="ShopSaidPaidAsync"/> pays only an invoice already issued, and
/// the issue of an invoice — by this flow, or by a person (<see cref="InvoiceIssuedAsync"/>) — pays only orders the shop
/// already said were paid. No query for "a payment exists" is needed, and none would be right: with two orders on one
/// invoice the first order's payment is no payment of the second (docs/commerce.md "Invoice moments", decisions §49).
/// </remarks>
public sealed class ShopInvoicing(KontorDbContext db, OrderService orders, InvoiceService invoices, PaymentService payments,
    BusinessCalendar calendar, AuditTrail audit, ReferenceData referenceData)
{
    /// <summary>
    /// The invoices <see cref="InvoiceAsync"/> is issuing right now: it pays their orders itself, together, right after the
    /// issue (one payment batch for a batch of deliveries), so <see cref="InvoiceIssuedAsync"/> leaves them alone.
    /// </summary>
    private readonly HashSet<Guid> issuingHere = [];

    /// <summary>
    /// The shop says the order is paid. Only the first such delivery counts (remembered as <see cref="Order.PaidAtShopOn"/>):
    /// OnPayment → invoice + payment now; OnShipment → the payment waits for the shipment's invoice, or is registered against
    /// it at once when the order already shipped (cash on delivery, paid later); Never → remembered for the invoice a person
    /// issues. With any moment, an invoice already issued for the order (by a person too) gets the payment at once, and a
    /// draft gets it when it is issued.
    /// </summary>
    /// <remarks>
    /// Takes the orders of a batch of deliveries at once (docs/commerce.md "Batched ingestion"), in the order given: the
    /// orders are read at once, the OnPayment ones invoiced and issued together (<see cref="OrderService.InvoiceEachAsync"/>,
    /// <see cref="InvoiceService.IssueAsync(IReadOnlyList{Guid}, CancellationToken)"/>) and paid together
    /// (<see cref="PaymentService.RegisterManyAsync"/>); one delivery is a batch of one.
    /// </remarks>
    public async Task ShopSaidPaidAsync(IReadOnlyList<ShopPaid> paid, CancellationToken ct)
    {
        var ids = paid.Select(p => p.OrderId).Distinct().ToList();
        var loaded = await db.Orders.Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var toInvoice = new List<(Order Order, string Reference)>();
        var toPay = new List<(Order Order, string Reference)>();
        var seen = new HashSet<Guid>();
        foreach (var p in paid)
        {
            var order = loaded.GetValueOrDefault(p.OrderId) ?? throw new NotFoundException("Order", p.OrderId);
            if (order.PaidAtShopOn is not null || order.Status == OrderStatus.Cancelled || !seen.Add(order.Id)) continue;
            // OnPayment without an invoice → invoiced and paid now. Otherwise (any moment, Never too: a person's invoice) the
            // order's invoice is paid if it is already issued; a draft's or a later invoice's issue pays it (InvoiceIssuedAsync).
            (p.Channel.InvoiceMoment == InvoiceMoment.OnPayment && order.InvoiceId is null ? toInvoice : toPay).Add((order, p.Reference));
        }
        // The orders to invoice first, the others after: on PostgreSQL a person issuing an invoice takes its numbering counter and
        // then its shop orders (PayShopOrdersOnIssue locks them); changing another order's row before taking the counter here
        // would make the two transactions wait for each other (a deadlock, found by review).
        foreach (var (order, reference) in toInvoice) RememberPaid(order, reference);
        if (toInvoice.Count > 0)
        {
            await db.SaveChangesAsync(ct);
            await InvoiceAsync([.. toInvoice.Select(x => x.Order)], ct);
        }
        foreach (var (order, reference) in toPay) RememberPaid(order, reference);
        await db.SaveChangesAsync(ct);
        foreach (var (order, _) in toPay) await PayIssuedInvoiceAsync(order, ct);
    }

    private void RememberPaid(Order order, string reference)
    {
        order.PaidAtShopOn = calendar.Today();
        order.PaidAtShopReference = reference;
        order.Version = Guid.NewGuid();
        audit.Record("order.paid-at-shop", nameof(Order), order.Id, new { order.Number, reference });
    }

    /// <summary>The order shipped: an OnShipment channel's order is invoiced now (and paid, if the shop said so before).</summary>
    public async Task ShippedAsync(Guid orderId, CancellationToken ct)
    {
        var order = await db.Orders.FirstAsync(o => o.Id == orderId, ct);
        if (order.ChannelId is not { } channelId || order.InvoiceId is not null) return;
        // The channels are in the reference snapshot, as for every webhook (a switched-off channel's orders still ship).
        var channel = (await referenceData.GetAsync(ct)).Channels.GetValueOrDefault(channelId);
        if (channel?.InvoiceMoment == InvoiceMoment.OnShipment) await InvoiceAsync([order], ct);
    }

    /// <summary>One invoice per order, issued; the orders the shop said were paid get their payment.</summary>
    private async Task InvoiceAsync(IReadOnlyList<Order> toInvoice, CancellationToken ct)
    {
        var drafts = await orders.InvoiceEachAsync([.. toInvoice.Select(o => o.Id)], ct);
        // The tax point of goods is their delivery (art. 19a ust. 1 VAT): a shipment entered with yesterday's date at the turn
        // of a month must not land in the next month's VAT.
        for (var k = 0; k < toInvoice.Count; k++)
            if (toInvoice[k].ShippedOn is { } shipped) drafts[k].SaleDate = shipped;
        await db.SaveChangesAsync(ct);
        // No credit check here: the order was checked when it was accepted, and its invoice is the debt that order promised.
        var draftIds = drafts.Select(d => d.Id).ToList();
        issuingHere.UnionWith(draftIds);
        try
        {
            var issued = await invoices.IssueAsync(draftIds, ct);
            await db.SaveChangesAsync(ct);
            await PayAsync([.. toInvoice.Select((order, k) => (order, issued[k])).Where(x => x.order.PaidAtShopOn is not null)], ct);
        }
        finally
        {
            issuingHere.ExceptWith(draftIds);
        }
    }

    /// <summary>
    /// An invoice was issued, by any path (a person's draft, a batch, the API): the shop orders on it that the shop already
    /// said were paid get their remembered gateway payment now, in the issue's transaction, by the same rule as the flow
    /// (<see cref="PayAsync"/>). Orders the shop says paid later are paid by <see cref="ShopSaidPaidAsync"/>.
    /// </summary>
    public async Task InvoiceIssuedAsync(Guid invoiceId, CancellationToken ct)
    {
        if (issuingHere.Contains(invoiceId)) return;
        // PostgreSQL: lock the invoice's shop orders before reading whether the shop said paid. A "paid" delivery updating
        // one of them concurrently either committed first (the lock waits for it, the read below sees PaidAtShopOn and pays
        // here) or waits for this commit and then finds the invoice issued and pays there: without the lock both could read
        // the other's old state (the invoice a draft, the order unpaid) and neither would pay. SQLite's write gate orders them.
        if (db.Database.IsNpgsql())
        {
            var shopOrders = await db.Database.SqlQuery<Guid>(
                    $"""SELECT "Id" AS "Value" FROM "Orders" WHERE "InvoiceId" = {invoiceId} AND "ChannelId" IS NOT NULL ORDER BY "Id" FOR UPDATE""")
                .ToListAsync(ct);
            if (shopOrders.Count == 0) return;
        }
        var paidAtShop = await db.Orders.AsNoTracking()
            .Where(o => o.InvoiceId == invoiceId && o.ChannelId != null && o.PaidAtShopOn != null)
            .OrderBy(o => o.Number).ToListAsync(ct);
        if (paidAtShop.Count == 0) return;
        // The ledger's handler has just added the invoice's open item; the payment allocates to it.
        await db.SaveChangesAsync(ct);
        var invoice = await db.Invoices.AsNoTracking().FirstAsync(i => i.Id == invoiceId, ct);
        await PayAsync([.. paidAtShop.Select(order => (order, invoice))], ct);
    }

    /// <summary>
    /// The shop said paid only now: registers the remembered gateway payment against the order's invoice if that is already
    /// issued (its issue found the order unpaid and registered nothing); a draft's payment waits for its issue (<see cref="InvoiceIssuedAsync"/>).
    /// </summary>
    private async Task PayIssuedInvoiceAsync(Order order, CancellationToken ct)
    {
        if (order.InvoiceId is not { } invoiceId) return;
        // A draft a person deleted leaves no invoice (its orders are released); the next invoice's issue pays.
        var invoice = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId, ct);
        if (invoice?.Status != InvoiceStatus.Issued) return;
        await PayAsync([(order, invoice)], ct);
    }

    /// <summary>
    /// The payment is dated the invoice's issue day (for OnShipment: the shipment) or, when the shop said paid later (cash on
    /// delivery), that day; allocated to that invoice: a payment dated before its invoice would sit as an unallocated credit in between.
    /// The amount is THIS order's gross — a person may have invoiced several orders of the buyer on one invoice — capped at
    /// what is still open, shared in the order given when several orders are on one invoice; nothing open → nothing
    /// registered (audited). A final invoice's order was invoiced in advance as well: the shop's money pays the open
    /// advance invoices of that order too. The payment is the invoice's buyer's: a person may have made the invoice out to
    /// another party (the customer's company) than the order's.
    /// </summary>
    private async Task PayAsync(IReadOnlyList<(Order Order, Invoice Invoice)> toPay, CancellationToken ct)
    {
        if (toPay.Count == 0) return;
        var finalOrderIds = toPay.Where(x => x.Invoice.Kind == InvoiceKind.Final).Select(x => x.Order.Id).ToList();
        var advances = finalOrderIds.Count == 0 ? [] : await db.Invoices.AsNoTracking()
            .Where(i => i.Kind == InvoiceKind.Advance && i.Status == InvoiceStatus.Issued && i.OrderId != null && finalOrderIds.Contains(i.OrderId.Value))
            .OrderBy(i => i.IssueDate).ThenBy(i => i.Number)
            .Select(i => new { i.Id, OrderId = i.OrderId!.Value, i.PartyId, i.Currency }).ToListAsync(ct);
        var sourceIds = toPay.Select(x => x.Invoice.Id).Concat(advances.Select(a => a.Id)).Distinct().ToList();
        var open = (await db.OpenItems.Where(o => sourceIds.Contains(o.SourceId) && o.Side == OpenItemSide.Receivable && o.OpenAmount > 0)
                .Select(o => new { o.SourceId, o.Currency, o.OpenAmount }).ToListAsync(ct))
            .GroupBy(o => (o.SourceId, o.Currency)).ToDictionary(g => g.Key, g => g.Sum(o => o.OpenAmount));
        var registrations = new List<RegisterPayment>(toPay.Count);
        foreach (var (order, invoice) in toPay)
        {
            var targets = order.Currency != invoice.Currency ? [] : advances
                .Where(a => a.OrderId == order.Id && a.PartyId == invoice.PartyId && a.Currency == invoice.Currency).Select(a => a.Id)
                .Prepend(invoice.Id).ToList();
            var allocations = new List<AllocationInput>();
            var left = order.TotalGross;
            foreach (var target in targets)
            {
                var take = Math.Min(left, open.GetValueOrDefault((target, invoice.Currency)));
                if (take <= 0) continue;
                allocations.Add(new AllocationInput(target, take));
                open[(target, invoice.Currency)] -= take;
                left -= take;
            }
            var amount = allocations.Sum(a => a.Amount);
            if (amount <= 0)
            {
                audit.Record("order.shop-payment-not-registered", nameof(Order), order.Id,
                    new { order.Number, invoice = invoice.Number, orderGross = order.TotalGross, order.Currency, invoiceCurrency = invoice.Currency });
                continue;
            }
            // Cash on delivery paid after the invoice: the payment is dated the day the shop said paid, never before the invoice.
            var date = order.PaidAtShopOn is { } paid && invoice.IssueDate is { } issued && paid > issued ? paid : invoice.IssueDate;
            registrations.Add(new RegisterPayment(invoice.PartyId, date, amount, invoice.Currency,
                order.PaidAtShopReference ?? order.Number, allocations, Via: PaymentVia.GatewayClearing));
        }
        if (registrations.Count == 0) return;
        await payments.RegisterManyAsync(registrations, ct);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>The shop said this order is paid (<see cref="ShopInvoicing.ShopSaidPaidAsync(IReadOnlyList{ShopPaid}, CancellationToken)"/>).</summary>
public sealed record ShopPaid(SalesChannel Channel, Guid OrderId, string Reference);

/// <summary>Every delivery that says "paid" goes to <see cref="ShopInvoicing.ShopSaidPaidAsync"/> (idempotent: only the first counts).</summary>
public sealed class ShopPaymentStep(ShopInvoicing invoicing) : IShopOrderBatchStep
{
    public async Task RunAsync(ShopOrderEvent e, CancellationToken ct) => await RunAsync([e], ct);

    public async Task RunAsync(IReadOnlyList<ShopOrderEvent> events, CancellationToken ct)
    {
        var paid = events.Where(e => e.ShopOrder.IsPaid)
            .Select(e => new ShopPaid(e.Channel, e.OrderId, $"{e.Channel.Name} #{e.ShopOrder.Number ?? e.ShopOrder.ExternalId}")).ToList();
        if (paid.Count > 0) await invoicing.ShopSaidPaidAsync(paid, ct);
    }
}

/// <summary>
/// Any issued invoice (single or batch, UI or API): its shop orders the shop already said were paid get their gateway payment
/// in the issue's transaction (<see cref="ShopInvoicing.InvoiceIssuedAsync"/>). Registered after the ledger's handler, so the
/// invoice's open item exists. Sales knows nothing of shops: Commerce listens to Sales' event.
/// </summary>
public sealed class PayShopOrdersOnIssue(ShopInvoicing invoicing) : IDomainEventHandler<InvoiceIssued>
{
    public async Task HandleAsync(InvoiceIssued e, CancellationToken ct)
    {
        // Orders point at the VAT or final invoice made from them; corrections and advances are never an order's invoice.
        if (e.IsCorrection || e.Kind is not (InvoiceKind.Vat or InvoiceKind.Final)) return;
        await invoicing.InvoiceIssuedAsync(e.InvoiceId, ct);
    }
}

/// <summary>A shop order of an OnShipment channel is invoiced (and paid) in the shipment's transaction.</summary>
public sealed class InvoiceOnShipment(ShopInvoicing invoicing) : IDomainEventHandler<OrderStatusChanged>
{
    public async Task HandleAsync(OrderStatusChanged e, CancellationToken ct)
    {
        if (e.To == OrderStatus.Shipped) await invoicing.ShippedAsync(e.OrderId, ct);
    }
}
