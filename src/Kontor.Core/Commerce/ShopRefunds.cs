using Kontor.Common;
using Kontor.Orders;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Commerce;

/// <summary>
/// A refund from the shop (docs/commerce.md "Refunds from the shop") goes through the same return flow as a person's return
/// (<see cref="OrderReturnService"/>), inside the delivery's transaction:
/// <list type="bullet">
/// <item>Shopify <c>refunds[].refund_line_items[]</c>: each refund once (key <c>refund:{id}</c>), its lines mapped by the shop's line id to the
/// order line's SKU; a line with <c>restock_type: no_restock</c> is credited without the goods coming back.</item>
/// <item>Otherwise the order's state Refunded (WooCommerce <c>refunded</c>, Shopify <c>financial_status: refunded</c>, generic
/// <c>refunded</c>) = the whole order: everything issued and not yet returned (key <c>refunded</c>).</item>
/// <item>Goods come back on stock when the channel's <see cref="SalesChannel.RestockOnRefund"/> says so (default); the money is refunded
/// when the invoice was paid. An order not shipped yet is cancelled (reservation released) and its invoice reversed; goods already issued
/// on a WZ of it come back on a ZW as the channel says (the whole order is cancelled, so a refund line's own restock type is not asked).</item>
/// </list>
/// Deliveries repeat: a refund already applied (same order and key) is skipped, so 3 deliveries make one correction, one ZW, one refund.
/// </summary>
public sealed class RefundOnShopRefundStep(KontorDbContext db, OrderReturnService returns, Catalog.SkuAliasService skuAliases, TimeProvider clock) : IShopOrderBatchStep
{
    public const string WholeOrderKey = "refunded";

    /// <summary>Each event in turn: a refund is rare, and the deliveries that carry one are the ones it has work for.</summary>
    public async Task RunAsync(IReadOnlyList<ShopOrderEvent> events, CancellationToken ct)
    {
        foreach (var e in events) await RunAsync(e, ct);
    }

    public async Task RunAsync(ShopOrderEvent e, CancellationToken ct)
    {
        var lineRefunds = e.ShopOrder.Refunds?.Where(r => r.Lines.Count > 0).ToList() ?? [];
        if (lineRefunds.Count == 0 && e.ShopOrder.State != ShopOrderState.Refunded) return;
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == e.OrderId).Select(o => new { o.Id, o.Number, o.Status }).FirstAsync(ct);
        var label = $"{e.Channel.Name} #{e.ShopOrder.Number ?? e.ShopOrder.ExternalId}";
        var applied = await db.Set<OrderReturn>().AsNoTracking().Where(r => r.OrderId == order.Id && r.ExternalRefundId != null)
            .Select(r => r.ExternalRefundId!).ToListAsync(ct);

        if (lineRefunds.Count > 0)
        {
            foreach (var refund in lineRefunds)
            {
                var key = "refund:" + refund.Id;
                if (applied.Contains(key)) continue;
                var reason = $"Zwrot w sklepie {label} (refund {refund.Id})";
                switch (order.Status)
                {
                    // Already cancelled (the first refund cancelled it) or everything came back: the refund is already applied.
                    case OrderStatus.Cancelled or OrderStatus.Returned:
                        Info(e, $"Refund {refund.Id} skipped: order {order.Number} is already {order.Status}.");
                        break;
                    case OrderStatus.Shipped or OrderStatus.Delivered:
                        var lines = await ReturnLinesAsync(e, refund, ct);
                        var returnable = await returns.ReturnableAsync(order.Id, ct);
                        // Goods a person already took back in Kontor cannot come back twice: take only what is still returnable.
                        var capped = new List<ReturnLineInput?>();
                        foreach (var line in lines.OfType<ReturnLineInput>())
                        {
                            var left = returnable.FirstOrDefault(r => r.ProductId == line.ProductId)?.Returnable ?? 0m;
                            if (left < line.Quantity)
                                Info(e, $"Refund {refund.Id}: order {order.Number} has only {left} of product {line.ProductId} left to return (shop: {line.Quantity}).");
                            if (left > 0) capped.Add(line with { Quantity = Math.Min(left, line.Quantity!.Value) });
                        }
                        if (capped.Count == 0) break;
                        await returns.ReturnAsync(order.Id, new ReturnGoods(capped, reason, Refund: true, Restock: e.Channel.RestockOnRefund, ExternalRefundId: key), ct);
                        break;
                    default:
                        // Not shipped: the refund cancels the order (CancelAndRefundAsync leaves a cancelled order as it is).
                        await returns.CancelAndRefundAsync(order.Id, reason, key, e.Channel.RestockOnRefund, ct);
                        break;
                }
                order = await db.Orders.AsNoTracking().Where(o => o.Id == e.OrderId).Select(o => new { o.Id, o.Number, o.Status }).FirstAsync(ct);
            }
            return;
        }

        if (applied.Contains(WholeOrderKey)) return;
        var wholeReason = $"Zwrot w sklepie {label}";
        switch (order.Status)
        {
            case OrderStatus.Shipped or OrderStatus.Delivered:
                if ((await returns.ReturnableAsync(order.Id, ct)).All(l => l.Returnable <= 0)) return;
                await returns.ReturnAsync(order.Id, new ReturnGoods(null, wholeReason, Refund: true, Restock: e.Channel.RestockOnRefund, ExternalRefundId: WholeOrderKey), ct);
                break;
            case OrderStatus.Accepted or OrderStatus.InProgress:
                await returns.CancelAndRefundAsync(order.Id, wholeReason, WholeOrderKey, e.Channel.RestockOnRefund, ct);
                break;
            // Cancelled (nothing was invoiced or paid through Kontor) or already Returned: nothing left to give back.
        }
    }

    private void Info(ShopOrderEvent e, string message) =>
        db.IntegrationLog.Add(new IntegrationLogEntry
        {
            ChannelId = e.Channel.Id, Direction = IntegrationDirection.In, Kind = "refund", Status = IntegrationStatus.Info,
            ExternalId = e.ShopOrder.ExternalId, Response = message, OrderId = e.OrderId, At = clock.GetUtcNow(),
        });

    /// <summary>The refund's lines as products of the order: the shop's line id → the order line's SKU → the product; one line per product.</summary>
    private async Task<List<ReturnLineInput?>> ReturnLinesAsync(ShopOrderEvent e, ShopRefund refund, CancellationToken ct)
    {
        var skus = new List<(string Sku, decimal Quantity, bool Restock)>();
        foreach (var line in refund.Lines)
        {
            var shopLine = e.ShopOrder.Lines.FirstOrDefault(l => l.ExternalLineId == line.LineId)
                           ?? throw new ConflictException($"Refund {refund.Id} names line {line.LineId}, which the order does not have.");
            skus.Add((Catalog.Product.NormalizeSku(shopLine.Sku) ?? throw new ConflictException($"Refund {refund.Id}: line {line.LineId} has no SKU."), line.Quantity, line.Restock && e.Channel.RestockOnRefund));
        }
        var wanted = skus.Select(s => s.Sku).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => wanted.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, p => p.Id, ct);
        // A line the order took through a SKU mapping is refunded through it too.
        foreach (var (sku, productId) in await skuAliases.ProductIdsAsync(wanted.Where(sku => !products.ContainsKey(sku)).ToList(), ct)) products[sku] = productId;
        return skus.GroupBy(s => s.Sku)
            .Select(g => (ReturnLineInput?)new ReturnLineInput(products.TryGetValue(g.Key, out var id) ? id : throw new ConflictException($"Refund {refund.Id}: no product {g.Key}."),
                g.Sum(x => x.Quantity), g.All(x => x.Restock)))
            .ToList();
    }
}
