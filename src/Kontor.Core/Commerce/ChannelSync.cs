using System.Globalization;
using System.Text.Json;
using Kontor.Common;
using Kontor.Catalog;
using Kontor.Company;
using Kontor.Outbox;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Commerce;

/// <summary>
/// Which of the shop's products a Kontor product is (docs/commerce.md, "Outbound sync"). Learned from incoming orders
/// (the line's shop product id) or entered by hand; one row per (channel, product). Only mapped products are pushed.
/// </summary>
public sealed class ChannelProduct
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid ChannelId { get; init; }
    public Guid ProductId { get; init; }
    /// <summary>WooCommerce product id (the parent for a variation) / Shopify product id.</summary>
    public string ExternalProductId { get; set; } = "";
    /// <summary>WooCommerce variation id / Shopify variant id (Shopify prices are set on the variant).</summary>
    public string? ExternalVariantId { get; set; }
    /// <summary>Shopify inventory item id (inventory_levels/set needs it; orders do not carry it: enter it by hand).</summary>
    public string? ExternalInventoryItemId { get; set; }
    /// <summary>The last quantity / price the shop acknowledged (set when a stock / price message was sent).</summary>
    public decimal? LastPushedQuantity { get; set; }
    public decimal? LastPushedPrice { get; set; }
    public DateTimeOffset? LastPushedAt { get; set; }
    public bool LearnedFromOrder { get; set; }
    /// <summary>When a person last edited the mapping; null for one learned from an order.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>
/// What changed during the current unit of work that a shop may need to hear about: (warehouse, product) pairs whose
/// stock changed (<see cref="Inventory.StockBook"/> records every change), products whose price changed, channels to sync
/// in full. Collecting costs no query; <see cref="ChannelSync"/> writes the messages once before the commit.
/// </summary>
public sealed class ChannelSyncCollector
{
    private readonly HashSet<(Guid WarehouseId, Guid ProductId)> stock = [];
    private readonly HashSet<Guid> prices = [];
    private readonly HashSet<Guid> fullSync = [];
    private readonly HashSet<(Guid ChannelId, Guid ProductId)> mapped = [];

    public void StockChanged(Guid warehouseId, Guid productId) => stock.Add((warehouseId, productId));
    public void PriceChanged(Guid productId) => prices.Add(productId);
    /// <summary>Every mapped product of the channel: stock and price.</summary>
    public void SyncChannel(Guid channelId) => fullSync.Add(channelId);
    /// <summary>One product of one channel (its mapping was just saved): stock and price, to that channel only.</summary>
    public void SyncMapping(Guid channelId, Guid productId) => mapped.Add((channelId, productId));

    internal bool IsEmpty => stock.Count == 0 && prices.Count == 0 && fullSync.Count == 0 && mapped.Count == 0;

    internal (List<(Guid WarehouseId, Guid ProductId)> Stock, List<Guid> Prices, List<Guid> Channels, List<(Guid ChannelId, Guid ProductId)> Mapped) Take()
    {
        var taken = (stock.ToList(), prices.ToList(), fullSync.ToList(), mapped.ToList());
        Clear();
        return taken;
    }

    internal void Clear()
    {
        stock.Clear();
        prices.Clear();
        fullSync.Clear();
        mapped.Clear();
    }
}

/// <summary>
/// Turns what <see cref="ChannelSyncCollector"/> gathered into outbox messages, inside the unit of work's transaction,
/// once before it commits: ONE "stock" message per (channel, mapped product) whose stock changed in the channel's
/// warehouse, with the quantity available as of commit, and ONE "price" message per (channel, mapped product) whose price
/// changed. Messages are coalesced (<see cref="EnqueueCoalescedAsync"/>).
/// </summary>
public sealed class ChannelSync(KontorDbContext db, ChannelSyncCollector collector, OutboxWriter outbox, VatRates vatRates,
    CompanyProfileProvider company, BusinessCalendar calendar, TimeProvider clock) : IUnitOfWorkParticipant
{
    public async Task BeforeCommitAsync(CancellationToken ct)
    {
        if (collector.IsEmpty) return;
        var (stock, prices, channels, single) = collector.Take();
        // The unit of work's pending changes (a new price, a new mapping) must be visible to the queries below.
        await db.SaveChangesAsync(ct);
        var productIds = stock.Select(s => s.ProductId).Concat(prices).Concat(single.Select(s => s.ProductId)).Distinct().ToList();
        // Only to channels Kontor can send to (SalesChannel.SendsToShop): a generic channel has no outbound API, a channel
        // without the shop's address was set up for its webhook alone.
        var mappings = await (from m in db.ChannelProducts.AsNoTracking()
                              join c in db.SalesChannels.AsNoTracking() on m.ChannelId equals c.Id
                              where c.IsActive && c.Type != ChannelType.Generic && c.BaseAddress != null && c.BaseAddress != ""
                                    && (productIds.Contains(m.ProductId) || channels.Contains(m.ChannelId))
                              select new Mapped(m, c.Type, c.DefaultWarehouseCode, c.PriceMode)).ToListAsync(ct);
        var whole = single.ToHashSet();
        bool Whole(Mapped m) => channels.Contains(m.Mapping.ChannelId) || whole.Contains((m.Mapping.ChannelId, m.Mapping.ProductId));
        if (mappings.Count == 0) return;

        var warehouses = await db.Warehouses.AsNoTracking().Select(w => new { w.Id, w.Code, w.IsDefault, w.IsActive }).ToListAsync(ct);
        var defaultWarehouse = warehouses.FirstOrDefault(w => w.IsDefault && w.IsActive)?.Id;
        Guid? WarehouseOf(Mapped m) => m.WarehouseCode is { } code ? warehouses.FirstOrDefault(w => w.Code == code)?.Id : defaultWarehouse;
        var touched = stock.ToHashSet();

        var stockPushes = mappings.Where(m => WarehouseOf(m) is { } w && (Whole(m) || touched.Contains((w, m.Mapping.ProductId)))).ToList();
        var pricePushes = mappings.Where(m => Whole(m) || prices.Contains(m.Mapping.ProductId)).ToList();
        var needed = stockPushes.Concat(pricePushes).Select(m => m.Mapping.ProductId).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => needed.Contains(p.Id))
            .Select(p => new { p.Id, p.Sku, p.NetPrice, p.Currency, p.VatRateCode, p.Kind }).ToDictionaryAsync(p => p.Id, ct);

        if (stockPushes.Count > 0)
        {
            var stockProducts = stockPushes.Select(m => m.Mapping.ProductId).Distinct().ToList();
            var stockWarehouses = stockPushes.Select(m => WarehouseOf(m)!.Value).Distinct().ToList();
            // A full push or a mapping save changed no stock itself, so it holds no lock on these levels: on PostgreSQL (read
            // committed) it could read the quantity from before a concurrent reservation that has not committed yet, and its
            // message — created later — would supersede the reservation's newer one: the shop would over-sell. Locking the
            // rows first orders it behind every stock writer (they update the same rows); SQLite's single writer already does.
            var wholeProducts = stockPushes.Where(Whole).Select(m => m.Mapping.ProductId).Distinct().ToArray();
            if (wholeProducts.Length > 0 && db.Database.IsNpgsql())
            {
                var lockWarehouses = stockPushes.Where(Whole).Select(m => WarehouseOf(m)!.Value).Distinct().ToArray();
                await db.Database.SqlQuery<int>($"""
                    SELECT 1 AS "Value" FROM "StockLevels" WHERE "ProductId" = ANY({wholeProducts}) AND "WarehouseId" = ANY({lockWarehouses})
                    ORDER BY "WarehouseId", "ProductId" FOR UPDATE
                    """).ToListAsync(ct);
            }
            // Read inside the transaction, after every change of this unit of work: the quantities as of commit.
            var levels = await db.StockLevels.AsNoTracking().Where(l => stockProducts.Contains(l.ProductId) && stockWarehouses.Contains(l.WarehouseId))
                .Select(l => new { l.WarehouseId, l.ProductId, l.OnHand, l.Reserved }).ToListAsync(ct);
            foreach (var m in stockPushes)
            {
                if (!products.TryGetValue(m.Mapping.ProductId, out var product) || product.Kind != Catalog.ProductKind.Goods) continue;
                var warehouse = WarehouseOf(m)!.Value;
                var level = levels.FirstOrDefault(l => l.WarehouseId == warehouse && l.ProductId == m.Mapping.ProductId);
                var quantity = AvailableForShop(level?.OnHand ?? 0m, level?.Reserved ?? 0m);
                var target = StockTarget(m);
                if (target is null)
                {
                    Info(m, OutboxMessageTypes.Stock, $"{product.Sku}: no Shopify inventory item id mapped; stock {quantity} not sent.");
                    continue;
                }
                await EnqueueCoalescedAsync(OutboxMessageTypes.Stock, m.Mapping.ChannelId, m.Mapping.ProductId, new
                {
                    productId = m.Mapping.ProductId, externalProductId = target,
                    externalVariantId = m.Type == ChannelType.WooCommerce ? m.Mapping.ExternalVariantId : null,
                    sku = product.Sku, quantity,
                }, ct);
            }
        }

        if (pricePushes.Count > 0)
        {
            var profile = await company.GetAsync(ct);
            var rates = await vatRates.InForceAsync(profile.CountryCode, calendar.Today(), ct);
            foreach (var m in pricePushes)
            {
                if (!products.TryGetValue(m.Mapping.ProductId, out var product)) continue;
                var rate = rates.FirstOrDefault(r => r.Code == product.VatRateCode);
                if (rate is null && m.PriceMode == Sales.PricingMode.Gross)
                {
                    // Gross = net would under-price the shop by the whole VAT: nothing is sent until the product's rate is fixed.
                    Info(m, OutboxMessageTypes.Price, $"{product.Sku}: VAT rate {product.VatRateCode} is not in force; gross price not sent.", IntegrationStatus.Failed);
                    continue;
                }
                var price = ShopPrice(product.NetPrice, rate?.Percent ?? 0m, m.PriceMode, Currency.Parse(product.Currency));
                var target = m.Type == ChannelType.Shopify ? m.Mapping.ExternalVariantId : m.Mapping.ExternalProductId;
                if (string.IsNullOrEmpty(target))
                {
                    Info(m, OutboxMessageTypes.Price, $"{product.Sku}: no Shopify variant id mapped; price {price:F2} not sent.");
                    continue;
                }
                await EnqueueCoalescedAsync(OutboxMessageTypes.Price, m.Mapping.ChannelId, m.Mapping.ProductId, new
                {
                    productId = m.Mapping.ProductId, externalProductId = target,
                    externalVariantId = m.Type == ChannelType.WooCommerce ? m.Mapping.ExternalVariantId : null,
                    sku = product.Sku, regularPrice = price.ToString("F2", CultureInfo.InvariantCulture), currency = product.Currency,
                }, ct);
            }
        }
    }

    public void RolledBack() => collector.Clear();

    /// <summary>On hand − reserved, never below zero, in whole units (a shop sells whole pieces): floor.</summary>
    public static int AvailableForShop(decimal onHand, decimal reserved) =>
        (int)Math.Min(int.MaxValue, Math.Max(0m, decimal.Floor(onHand - reserved)));

    /// <summary>
    /// The shop's regular price: the net or the gross of an invoice for ONE piece priced in Net mode at the product's rate —
    /// <see cref="Sales.InvoiceCalculator"/>'s own arithmetic (net rounded to the minor unit, VAT from that net rounded, gross =
    /// net + VAT), so the shop's price and the invoice for one piece never differ by a grosz.
    /// </summary>
    public static decimal ShopPrice(decimal netPrice, decimal vatPercent, Sales.PricingMode mode, Currency currency)
    {
        var invoice = Sales.InvoiceCalculator.Calculate([new Sales.CalculationLine(1m, netPrice, 0m, "", default, vatPercent)], Sales.PricingMode.Net, currency);
        return mode == Sales.PricingMode.Gross ? invoice.Gross : invoice.Net;
    }

    /// <summary>
    /// Coalescing rule: a Pending message of the same (type, channel, product) that is DUE (NextAttemptAt ≤ now) has not
    /// been claimed — a dispatcher's claim moves NextAttemptAt a lease into the future — so its payload is replaced by a
    /// conditional UPDATE that also rotates its claim token; on PostgreSQL that UPDATE and a dispatcher's claim lock the same row, so either the claim waits
    /// for this commit and sends the new payload, or the claim came first and the UPDATE matches nothing. Otherwise (none, or
    /// only a claimed or backing-off one) a new message is added; the dispatcher drops an older message of the same key
    /// when a newer one exists that is not itself Superseded (<see cref="OutboxStatus.Superseded"/>; a newer Pending, Sent or
    /// DeadLetter one), so a late retry never overwrites newer data.
    /// </summary>
    private async Task EnqueueCoalescedAsync(string type, Guid channelId, Guid productId, object payload, CancellationToken ct)
    {
        var key = CoalesceKey(type, channelId, productId);
        var json = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web);
        var now = clock.GetUtcNow();
        var pendingHere = db.OutboxMessages.Local.FirstOrDefault(m => m.CoalesceKey == key && db.Entry(m).State == EntityState.Added);
        if (pendingHere is not null)
        {
            pendingHere.Payload = json;
            return;
        }
        // A new claim token: a dispatcher whose claim on this row expired while it was still sending (its send outlived
        // ClaimSeconds) finishes with an UPDATE … WHERE ClaimToken = its token, which must not mark the NEW payload Sent.
        var rotated = Guid.NewGuid();
        var updated = await db.OutboxMessages.Where(m => m.CoalesceKey == key && m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Payload, json).SetProperty(m => m.ClaimToken, rotated), ct);
        if (updated == 0) outbox.Enqueue(type, channelId, payload, key);
    }

    public static string CoalesceKey(string type, Guid channelId, Guid productId) => $"{type}:{channelId:N}:{productId:N}";

    private static string? StockTarget(Mapped m) => m.Type == ChannelType.Shopify
        ? m.Mapping.ExternalInventoryItemId
        : m.Mapping.ExternalProductId;

    private void Info(Mapped m, string kind, string text, IntegrationStatus status = IntegrationStatus.Info) =>
        db.IntegrationLog.Add(new IntegrationLogEntry
        {
            ChannelId = m.Mapping.ChannelId, Direction = IntegrationDirection.Out, Kind = kind, Status = status,
            ExternalId = m.Mapping.ExternalProductId, Response = text, At = clock.GetUtcNow(),
        });

    private sealed record Mapped(ChannelProduct Mapping, ChannelType Type, string? WarehouseCode, Sales.PricingMode PriceMode);
}

public sealed record SaveChannelProduct(string? ExternalProductId, string? ExternalVariantId, string? ExternalInventoryItemId);

public sealed record ChannelProductView(Guid ProductId, string Sku, string Name, string ExternalProductId, string? ExternalVariantId,
    string? ExternalInventoryItemId, bool LearnedFromOrder, decimal? LastPushedQuantity, decimal? LastPushedPrice, DateTimeOffset? LastPushedAt);

/// <summary>The mapping table by hand (API and Settings → Integrations) and the full push of a channel.</summary>
public sealed class ChannelProductService(KontorDbContext db, UnitOfWork unitOfWork, ChannelSyncCollector collector, AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<ChannelProductView>> ListAsync(Guid channelId, CancellationToken ct = default)
    {
        await RequireChannelAsync(channelId, ct);
        return await (from m in db.ChannelProducts.AsNoTracking()
                      join p in db.Products.AsNoTracking() on m.ProductId equals p.Id
                      where m.ChannelId == channelId
                      orderby p.Sku
                      select new ChannelProductView(m.ProductId, p.Sku, p.Name, m.ExternalProductId, m.ExternalVariantId, m.ExternalInventoryItemId,
                          m.LearnedFromOrder, m.LastPushedQuantity, m.LastPushedPrice, m.LastPushedAt)).ToListAsync(ct);
    }

    /// <summary>Creates or replaces the mapping; the product's stock and price are pushed with the same transaction.</summary>
    public async Task<ChannelProductView> SaveAsync(Guid channelId, Guid productId, SaveChannelProduct command, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var external = errors.Text(command?.ExternalProductId, "externalProductId", 64);
        var variant = errors.Text(command?.ExternalVariantId, "externalVariantId", 64, required: false);
        var item = errors.Text(command?.ExternalInventoryItemId, "externalInventoryItemId", 64, required: false);
        errors.ThrowIfAny();
        await unitOfWork.ExecuteAsync(async token =>
        {
            await RequireChannelAsync(channelId, token);
            if (!await db.Products.AnyAsync(p => p.Id == productId, token)) throw new NotFoundException("Product", productId);
            var mapping = await db.ChannelProducts.FirstOrDefaultAsync(m => m.ChannelId == channelId && m.ProductId == productId, token);
            if (mapping is null)
            {
                mapping = new ChannelProduct { ChannelId = channelId, ProductId = productId };
                db.ChannelProducts.Add(mapping);
            }
            mapping.ExternalProductId = external!;
            mapping.ExternalVariantId = variant;
            mapping.ExternalInventoryItemId = item;
            mapping.LearnedFromOrder = false;
            mapping.UpdatedAt = clock.GetUtcNow();
            audit.Record("channel.product-mapped", nameof(SalesChannel), channelId, new { productId, external, variant, item });
            collector.SyncMapping(channelId, productId);
            return 0;
        }, ct);
        return (await ListAsync(channelId, ct)).First(v => v.ProductId == productId);
    }

    /// <summary>The same as <see cref="SaveAsync"/> for a product given by SKU (the Integrations page); an unknown SKU is 400 naming "sku".</summary>
    public async Task<ChannelProductView> SaveBySkuAsync(Guid channelId, string? sku, SaveChannelProduct command, CancellationToken ct = default)
    {
        var key = Catalog.Product.NormalizeSku(sku);
        var productId = string.IsNullOrEmpty(key) ? null : await db.Products.Where(p => p.Sku == key).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        if (productId is null)
            throw string.IsNullOrEmpty(key) ? new ValidationException("sku", "sku is required.") : new ValidationException("sku", $"There is no product with SKU {key}.");
        return await SaveAsync(channelId, productId.Value, command, ct);
    }

    public async Task DeleteAsync(Guid channelId, Guid productId, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var deleted = await db.ChannelProducts.Where(m => m.ChannelId == channelId && m.ProductId == productId).ExecuteDeleteAsync(token);
            if (deleted == 0) throw new NotFoundException("Channel product", productId);
            // Its pending stock / price messages go with it (same transaction): without a mapping the shop's product is no
            // longer ours to update. A fresh claim token, so a sender that already claimed one cannot mark it Sent after.
            var keys = new[] { ChannelSync.CoalesceKey(Outbox.OutboxMessageTypes.Stock, channelId, productId), ChannelSync.CoalesceKey(Outbox.OutboxMessageTypes.Price, channelId, productId) };
            var cancelled = Guid.NewGuid();
            await db.OutboxMessages.Where(m => m.CoalesceKey != null && keys.Contains(m.CoalesceKey) && m.Status == Outbox.OutboxStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, Outbox.OutboxStatus.Superseded).SetProperty(m => m.ClaimToken, cancelled)
                    .SetProperty(m => m.LastError, "The mapping was removed; not sent."), token);
            audit.Record("channel.product-unmapped", nameof(SalesChannel), channelId, new { productId });
            return 0;
        }, ct);

    /// <summary>Enqueues the current stock and price of every mapped product of the channel (coalesced); returns how many products.</summary>
    public async Task<int> SyncAsync(Guid channelId, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var channel = await RequireChannelAsync(channelId, token);
            if (!channel.IsActive) throw new ConflictException($"Channel {channel.Name} is inactive; activate it to push stock and prices.");
            collector.SyncChannel(channelId);
            audit.Record("channel.sync", nameof(SalesChannel), channelId);
            return await db.ChannelProducts.CountAsync(m => m.ChannelId == channelId, token);
        }, ct);

    /// <summary>
    /// Records the shop's product ids of an incoming order's lines where the channel has no mapping for the product yet
    /// (a mapping entered by hand is never overwritten). Runs inside the delivery's transaction.
    /// </summary>
    internal async Task LearnAsync(Guid channelId, IEnumerable<(Guid ProductId, ShopOrderLine Line)> lines, CancellationToken ct)
    {
        var learnable = lines.Where(l => !string.IsNullOrEmpty(l.Line.ExternalProductId)).GroupBy(l => l.ProductId).Select(g => g.First()).ToList();
        if (learnable.Count == 0) return;
        // Most products are mapped after their first order: one read instead of an insert attempt per product and order.
        var productIds = learnable.Select(l => l.ProductId).ToList();
        var mapped = (await db.ChannelProducts.AsNoTracking().Where(c => c.ChannelId == channelId && productIds.Contains(c.ProductId))
            .Select(c => c.ProductId).ToListAsync(ct)).ToHashSet();
        foreach (var (productId, line) in learnable.Where(l => !mapped.Contains(l.ProductId)))
        {
            // ON CONFLICT DO NOTHING: a mapping that exists (by hand, or learned by a concurrent delivery) is kept, and two
            // deliveries racing to learn the same product cannot fail each other on the unique (channel, product) index.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "ChannelProducts" ("Id", "ChannelId", "ProductId", "ExternalProductId", "ExternalVariantId", "LearnedFromOrder") VALUES ({Guid.CreateVersion7()}, {channelId}, {productId}, {line.ExternalProductId!}, {line.ExternalVariantId}, {true}) ON CONFLICT DO NOTHING""", ct);
        }
    }

    private async Task<SalesChannel> RequireChannelAsync(Guid channelId, CancellationToken ct) =>
        await db.SalesChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId, ct) ?? throw new NotFoundException("Sales channel", channelId);
}
