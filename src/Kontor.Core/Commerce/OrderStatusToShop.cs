using Kontor.Events;
using Kontor.Orders;
using Kontor.Outbox;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Commerce;

/// <summary>
/// A shop order's status change in Kontor goes back to the shop through the outbox, in the change's transaction:
/// picking (in progress) → "processing", shipped → "completed" with the tracking number, carrier and the carrier's
/// tracking page when known (WooCommerce's names; the Shopify connector maps them to a fulfillment with tracking_info).
/// The page is resolved here, once, so the message shows exactly what the shop was told.
/// Cancellations come FROM the shop and are not echoed back.
/// </summary>
public sealed class OrderStatusToShop(KontorDbContext db, OutboxWriter outbox, CarrierTracking carriers) : IDomainEventHandler<OrderStatusChanged>
{
    public async Task HandleAsync(OrderStatusChanged e, CancellationToken ct)
    {
        var shopStatus = e.To switch
        {
            OrderStatus.InProgress => "processing",
            OrderStatus.Shipped => "completed",
            _ => null,
        };
        if (shopStatus is null) return;
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == e.OrderId).Select(o => new { o.ChannelId, o.ExternalOrderId, o.Number, o.TrackingNumber, o.Carrier, o.ShippedOn }).FirstAsync(ct);
        if (order.ChannelId is null || order.ExternalOrderId is null) return;
        if (e.To == OrderStatus.Shipped)
            outbox.Enqueue(OutboxMessageTypes.OrderStatus, order.ChannelId, new
            {
                externalOrderId = order.ExternalOrderId, status = shopStatus, orderNumber = order.Number,
                trackingNumber = order.TrackingNumber, carrier = order.Carrier, shippedOn = order.ShippedOn,
                trackingUrl = carriers.UrlFor(order.Carrier, order.TrackingNumber),
            });
        else
            outbox.Enqueue(OutboxMessageTypes.OrderStatus, order.ChannelId, new { externalOrderId = order.ExternalOrderId, status = shopStatus, orderNumber = order.Number });
    }
}
