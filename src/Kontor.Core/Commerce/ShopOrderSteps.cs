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
/// THE one place that invoices a shop order and registers the shop's gateway payment, for both invoice moments
/// (docs/commerce.md, "Invoice moments"): the invoice is made from the order (<see cref="OrderService.InvoiceAsync"/>),
/// issued (<see cref="InvoiceService.IssueAsync(Guid, CancellationToken)"/>, posted to the ledger by its event) and,
/// when the shop has said the order is paid, the payment is registered against it. Runs inside the caller's unit of work.
/// </summary>
public sealed class ShopInvoicing(KontorDbContext db, OrderService orders, InvoiceService invoices, PaymentService payments,
    BusinessCalendar calendar, AuditTrail audit)
{
    /// <summary>
    /// The shop says the order is paid. Only the first such delivery counts (remembered as <see cref="Order.PaidAtShopOn"/>):
    /// OnPayment → invoice + payment now; OnShipment → the payment waits for the shipment's invoice, or is registered against
    /// it at once when the order already shipped (cash on delivery, paid later); Never → only remembered.
    /// </summary>
    public async Task ShopSaidPaidAsync(SalesChannel channel, Guid orderId, string reference, CancellationToken ct)
    {
        var order = await db.Orders.FirstAsync(o => o.Id == orderId, ct);
        if (order.PaidAtShopOn is not null || order.Status == OrderStatus.Cancelled) return;
        order.PaidAtShopOn = calendar.Today();
        order.PaidAtShopReference = reference;
        order.Version = Guid.NewGuid();
        audit.Record("order.paid-at-shop", nameof(Order), order.Id, new { order.Number, reference });
        await db.SaveChangesAsync(ct);
        switch (channel.InvoiceMoment)
        {
            case InvoiceMoment.OnPayment when order.InvoiceId is null:
                await InvoiceAsync(order, ct);
                break;
            case InvoiceMoment.OnPayment:
            case InvoiceMoment.OnShipment:
                await PayIssuedInvoiceAsync(order, ct);
                break;
        }
    }

    /// <summary>The order shipped: an OnShipment channel's order is invoiced now (and paid, if the shop said so before).</summary>
    public async Task ShippedAsync(Guid orderId, CancellationToken ct)
    {
        var order = await db.Orders.FirstAsync(o => o.Id == orderId, ct);
        if (order.ChannelId is not { } channelId || order.InvoiceId is not null) return;
        var moment = await db.SalesChannels.AsNoTracking().Where(c => c.Id == channelId).Select(c => c.InvoiceMoment).FirstAsync(ct);
        if (moment == InvoiceMoment.OnShipment) await InvoiceAsync(order, ct);
    }

    private async Task InvoiceAsync(Order order, CancellationToken ct)
    {
        var draft = await orders.InvoiceAsync([order.Id], ct);
        // The tax point of goods is their delivery (art. 19a ust. 1 VAT): a shipment entered with yesterday's date at the turn
        // of a month must not land in the next month's VAT.
        if (order.ShippedOn is { } shipped) draft.SaleDate = shipped;
        await db.SaveChangesAsync(ct);
        var issued = await invoices.IssueAsync(draft.Id, ct);
        await db.SaveChangesAsync(ct);
        if (order.PaidAtShopOn is not null) await PayAsync(order, issued, ct);
    }

    /// <summary>Registers the remembered gateway payment against the order's invoice if it is issued and has none from the shop yet.</summary>
    private async Task PayIssuedInvoiceAsync(Order order, CancellationToken ct)
    {
        if (order.InvoiceId is not { } invoiceId) return;
        var invoice = await db.Invoices.AsNoTracking().FirstAsync(i => i.Id == invoiceId, ct);
        if (invoice.Status != InvoiceStatus.Issued) return;
        await PayAsync(order, invoice, ct);
    }

    /// <summary>
    /// The payment is dated the invoice's issue day (for OnShipment: the shipment) or, when the shop said paid later (cash on
    /// delivery), that day; allocated to that invoice: a payment dated before its invoice would sit as an unallocated credit in between.
    /// The amount is THIS order's gross — a person may have invoiced several orders of the buyer on one invoice — capped at
    /// what is still open on the invoice (part-paid or corrected); nothing open → nothing registered (audited).
    /// </summary>
    private async Task PayAsync(Order order, Invoice invoice, CancellationToken ct)
    {
        var open = order.Currency == invoice.Currency
            ? (await db.OpenItems.Where(o => o.SourceId == invoice.Id && o.Side == OpenItemSide.Receivable && o.Currency == invoice.Currency)
                .Select(o => o.OpenAmount).ToListAsync(ct)).Sum()
            : 0m;
        var amount = Math.Min(order.TotalGross, open);
        if (amount <= 0)
        {
            audit.Record("order.shop-payment-not-registered", nameof(Order), order.Id,
                new { order.Number, invoice = invoice.Number, orderGross = order.TotalGross, order.Currency, openOnInvoice = open, invoiceCurrency = invoice.Currency });
            return;
        }
        // Cash on delivery paid after the invoice: the payment is dated the day the shop said paid, never before the invoice.
        var date = order.PaidAtShopOn is { } paid && invoice.IssueDate is { } issued && paid > issued ? paid : invoice.IssueDate;
        await payments.RegisterAsync(new RegisterPayment(order.PartyId, date, amount, invoice.Currency,
            order.PaidAtShopReference ?? order.Number, [new AllocationInput(invoice.Id, amount)], Via: PaymentVia.GatewayClearing), ct);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Every delivery that says "paid" goes to <see cref="ShopInvoicing.ShopSaidPaidAsync"/> (idempotent: only the first counts).</summary>
public sealed class ShopPaymentStep(ShopInvoicing invoicing) : IShopOrderStep
{
    public async Task RunAsync(ShopOrderEvent e, CancellationToken ct)
    {
        if (!e.ShopOrder.IsPaid) return;
        await invoicing.ShopSaidPaidAsync(e.Channel, e.OrderId, $"{e.Channel.Name} #{e.ShopOrder.Number ?? e.ShopOrder.ExternalId}", ct);
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
