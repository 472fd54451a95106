using Kontor.Ledger;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Commerce;

/// <summary>A delivery applied to an order: the steps after it run in the delivery's transaction.</summary>
/// <param name="IsNew">The delivery created the order.</param>
/// <param name="IsPaid">The shop says the order is paid (steps must be idempotent: a later delivery says it again).</param>
public sealed record ShopOrderEvent(SalesChannel Channel, Guid OrderId, ShopOrder ShopOrder, bool IsNew, bool IsPaid, bool BecameCancelled);

/// <summary>
/// The extension point of the shop order flow (docs/commerce.md, "What comes after the order"): every registered step
/// runs, in registration order, inside the delivery's transaction after the order was created or updated; a step that
/// throws rolls the whole delivery back (the shop retries). Steps must be idempotent — deliveries repeat.
/// <list type="bullet">
/// <item>WIRED: <see cref="InvoiceAndPaymentOnPaymentStep"/> (issue the invoice when the shop says paid, register the gateway payment).</item>
/// <item>NOT WIRED YET (Inventory): reserve stock in the channel's DefaultWarehouseCode on IsNew; release it on BecameCancelled.</item>
/// <item>NOT WIRED YET: invoice at InvoiceMoment.OnShipment (from OrderStatusChanged → Shipped, with the WZ issue).</item>
/// <item>WIRED: refunds → correction invoice + stock receipt + refund (<see cref="RefundOnShopRefundStep"/>, Commerce/ShopRefunds.cs).</item>
/// </list>
/// </summary>
public interface IShopOrderStep
{
    Task RunAsync(ShopOrderEvent e, CancellationToken ct);
}

/// <summary>
/// Channel set to <see cref="InvoiceMoment.OnPayment"/>: the first delivery that says "paid" invoices the order
/// (<see cref="OrderService.InvoiceAsync"/> → <see cref="InvoiceService.IssueAsync(Guid, CancellationToken)"/>, posted to the
/// ledger by its event) and registers the shop's gateway payment against that invoice. An order already invoiced is left alone.
/// </summary>
public sealed class InvoiceAndPaymentOnPaymentStep(KontorDbContext db, OrderService orders, InvoiceService invoices, PaymentService payments) : IShopOrderStep
{
    public async Task RunAsync(ShopOrderEvent e, CancellationToken ct)
    {
        if (!e.IsPaid || e.Channel.InvoiceMoment != InvoiceMoment.OnPayment) return;
        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == e.OrderId, ct);
        if (order.InvoiceId is not null || order.Status == OrderStatus.Cancelled) return;
        var draft = await orders.InvoiceAsync([order.Id], ct);
        await db.SaveChangesAsync(ct);
        var issued = await invoices.IssueAsync(draft.Id, ct);
        await db.SaveChangesAsync(ct);
        await payments.RegisterAsync(new RegisterPayment(order.PartyId, issued.IssueDate, issued.TotalGross, issued.Currency,
            $"{e.Channel.Name} #{e.ShopOrder.Number ?? e.ShopOrder.ExternalId}", [new AllocationInput(issued.Id, issued.TotalGross)], Via: PaymentVia.GatewayClearing), ct);
        await db.SaveChangesAsync(ct);
    }
}
