using System.Text.Json;
using Kontor.Events;
using Kontor.Orders;
using Kontor.Outbox;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Commerce;

/// <summary>
/// A shop order's status change in Kontor goes back to the shop through the outbox, in the change's transaction:
/// picking (in progress) → "processing", shipped → "completed" with the tracking number, carrier and the carrier's
/// tracking page when known, cancelled by a person in Kontor (the customer phoned, the goods will not come) → "cancelled"
/// (WooCommerce's names; the Shopify connector maps them to a fulfillment with tracking_info and to the order's cancel call).
/// The page is resolved here, once, so the message shows exactly what the shop was told.
/// A change the shop itself caused (<see cref="ShopCausedChanges"/>: its cancellation or refund being applied) is not echoed back.
/// A channel Kontor cannot send to (<see cref="SalesChannel.SendsToShop"/>) gets an Info line in the integration log with what
/// would have been sent, not a message bound for the dead letters.
/// </summary>
public sealed class OrderStatusToShop(KontorDbContext db, OutboxWriter outbox, CarrierTracking carriers, TimeProvider clock, ShopCausedChanges shopCaused)
    : IDomainEventHandler<OrderStatusChanged>
{
    public async Task HandleAsync(OrderStatusChanged e, CancellationToken ct)
    {
        var shopStatus = e.To switch
        {
            OrderStatus.InProgress => "processing",
            OrderStatus.Shipped => "completed",
            OrderStatus.Cancelled => "cancelled",
            _ => null,
        };
        if (shopStatus is null || shopCaused.Contains(e.OrderId)) return;
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == e.OrderId).Select(o => new { o.ChannelId, o.ExternalOrderId, o.Number, o.TrackingNumber, o.Carrier, o.ShippedOn }).FirstAsync(ct);
        if (order.ChannelId is not { } channelId || order.ExternalOrderId is null) return;
        object payload = e.To == OrderStatus.Shipped
            ? new
            {
                externalOrderId = order.ExternalOrderId, status = shopStatus, orderNumber = order.Number,
                trackingNumber = order.TrackingNumber, carrier = order.Carrier, shippedOn = order.ShippedOn,
                trackingUrl = carriers.UrlFor(order.Carrier, order.TrackingNumber),
            }
            : new { externalOrderId = order.ExternalOrderId, status = shopStatus, orderNumber = order.Number };
        var channel = await db.SalesChannels.AsNoTracking().FirstAsync(c => c.Id == channelId, ct);
        if (channel.SendsToShop)
        {
            outbox.Enqueue(OutboxMessageTypes.OrderStatus, channelId, payload);
            return;
        }
        db.IntegrationLog.Add(new IntegrationLogEntry
        {
            ChannelId = channelId, Direction = IntegrationDirection.Out, Kind = OutboxMessageTypes.OrderStatus, Status = IntegrationStatus.Info,
            ExternalId = order.ExternalOrderId, OrderId = e.OrderId, At = clock.GetUtcNow(),
            Payload = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web),
            Response = channel.Type == ChannelType.Generic
                ? $"Not sent: a generic channel only receives orders; the shop learns \"{shopStatus}\" its own way."
                : $"Not sent: the channel has no shop address (set it, with the API key, on the channel to send statuses, stock and prices).",
        });
    }
}

/// <summary>
/// The orders whose changes in this scope the shop itself caused — a delivery of the shop's order being applied (its
/// cancellation, its refund). Their status changes are not sent back: the shop already knows, and an echoed cancellation
/// would be a second cancel call the shop refuses. Scoped, as the delivery's unit of work is.
/// </summary>
public sealed class ShopCausedChanges
{
    private readonly HashSet<Guid> orders = [];
    public void Add(Guid orderId) => orders.Add(orderId);
    public bool Contains(Guid orderId) => orders.Contains(orderId);
}
