using System.Text;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Crm.Duplicates;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Commerce;

public enum IngestOutcome { Created, Duplicate, Updated, Stale, Held }

/// <summary>What a delivery became; <see cref="OrderId"/> is the one order of (channel, external id) when there is one.</summary>
public sealed record IngestResult(IngestOutcome Outcome, Guid? OrderId, string? OrderNumber, string Message, Guid? HoldId = null);

/// <summary>
/// Turns a verified shop order into Kontor's records in ONE transaction per delivery (docs/commerce.md, "The flow"):
/// the order of (channel, external id) is created once — a unique index decides between concurrent deliveries and the
/// loser answers with the winner's order — later deliveries apply in the shop's modification order, and an order that
/// cannot be taken automatically is held in the exceptions queue with its payload.
/// </summary>
public sealed partial class ShopOrderIngestion(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    PartyService parties,
    PartyMatching matching,
    OrderService orders,
    AuditTrail audit,
    IEnumerable<IShopOrderStep> steps,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ChannelProductService channelProducts,
    Catalog.SkuAliasService skuAliases,
    ShopCausedChanges shopCaused,
    Microsoft.Extensions.Logging.ILogger<ShopOrderIngestion> logger)
{
    public Task<IngestResult> IngestAsync(SalesChannel channel, ShopOrder shopOrder, string payload, CancellationToken ct = default) =>
        IngestAsync(channel, shopOrder, payload, IntegrationLogKinds.OrderWebhook, attempt: 1, ct);

    /// <summary>
    /// An order the catch-up pull fetched from the shop's API (docs/commerce.md "Catch-up pull"): exactly the webhook's
    /// ingestion — same idempotency, same update order, same holds — only logged as "order-pull", and an order Kontor
    /// already had is not logged at all (the pull counts it in its own entry).
    /// </summary>
    public Task<IngestResult> IngestPulledAsync(SalesChannel channel, ShopOrder shopOrder, string payload, CancellationToken ct = default) =>
        IngestAsync(channel, shopOrder, payload, IntegrationLogKinds.OrderPull, attempt: 1, ct);

    /// <summary>A delivery that lost a race is run again from the start (it then sees the winner's commit); this bounds the rounds.</summary>
    private const int MaxAttempts = 3;

    /// <param name="kind">The integration log kind of the delivery's entries: where it came from.</param>
    private async Task<IngestResult> IngestAsync(SalesChannel channel, ShopOrder shopOrder, string payload, string kind, int attempt, CancellationToken ct)
    {
        try
        {
            try
            {
                return await unitOfWork.ExecuteAsync(token => ApplyAsync(channel, shopOrder, payload, kind, token), ct);
            }
            catch (Exception e) when (e is ValidationException or ConflictException or DuplicatePartyException or NotFoundException
                                          or CurrencyMismatchException or Ledger.LedgerPostingException or Crm.Credit.CreditBlockedException)
            {
                // Kontor refused something the shop sent (a credit block, a VAT id that is not valid, no exchange rate for a
                // foreign-currency invoice, a closed period…): a person decides; the shop gets 202, not an error to retry forever.
                return await HoldAsync(channel, shopOrder, payload, kind, Reason(e), HoldKind.Refused, null, ct);
            }
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e, nameof(KontorDbContext.Orders), nameof(Order.ChannelId), nameof(Order.ExternalOrderId)))
        {
            // Another delivery of the same order committed first (the unique index on channel + external id): it is the order.
            var existing = await db.Orders.AsNoTracking().Where(o => o.ChannelId == channel.Id && o.ExternalOrderId == shopOrder.ExternalId)
                .Select(o => new { o.Id, o.Number }).FirstAsync(ct);
            await LogAsync(channel, shopOrder.ExternalId, IntegrationStatus.Duplicate, payload,
                Messages.Format("Delivered concurrently; order {0} already exists.", existing.Number), existing.Id, kind, ct);
            return new IngestResult(IngestOutcome.Duplicate, existing.Id, existing.Number, Messages.Format("Order {0} already exists.", existing.Number));
        }
        catch (Exception e) when (attempt < MaxAttempts && DbErrors.IsUniqueViolation(e, nameof(KontorDbContext.HeldShopOrders), nameof(HeldShopOrder.ChannelId), nameof(HeldShopOrder.ExternalOrderId)))
        {
            // Two deliveries of one held order raced to create its hold row: the second time round it exists and is updated.
            return await IngestAsync(channel, shopOrder, payload, kind, attempt + 1, ct);
        }
        catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
        {
            // Two deliveries of one update (the shop retrying a webhook it thinks was lost) raced on the existing order: the
            // other one committed first and changed the order's version under this one, whose whole transaction rolled back.
            // Run it again: it now sees the applied update and answers Duplicate (or applies, if it is newer) — not a 409 the
            // shop would count as a failed webhook.
            return await IngestAsync(channel, shopOrder, payload, kind, attempt + 1, ct);
        }
    }

    /// <summary>Retries a held order with its kept payload (after a person created the missing product, lifted a block…).</summary>
    public async Task<IngestResult> RetryAsync(Guid holdId, CancellationToken ct = default)
    {
        var hold = await db.HeldShopOrders.AsNoTracking().FirstOrDefaultAsync(h => h.Id == holdId, ct) ?? throw new NotFoundException("Held order", holdId);
        if (hold.Status == HoldStatus.Resolved) throw new ConflictException($"The held order {hold.ExternalOrderId} was already resolved.");
        var channel = await db.SalesChannels.AsNoTracking().FirstAsync(c => c.Id == hold.ChannelId, ct);
        var shopOrder = ShopOrderParser.Parse(channel.Type, channel.PriceMode, Encoding.UTF8.GetBytes(hold.Payload));
        return await IngestAsync(channel, shopOrder, hold.Payload, ct);
    }

    /// <summary>
    /// The SKUs of a held order's kept payload that name no product (neither as its own SKU nor mapped), with the shop's line name
    /// and quantity — what a person maps on the Integrations page before retrying. Empty when the order is held for another reason.
    /// </summary>
    public async Task<IReadOnlyList<UnknownShopSku>> UnknownSkusAsync(Guid holdId, CancellationToken ct = default)
    {
        var hold = await db.HeldShopOrders.AsNoTracking().FirstOrDefaultAsync(h => h.Id == holdId, ct) ?? throw new NotFoundException("Held order", holdId);
        if (await HeldOrderOfAsync(hold, ct) is not { } shopOrder) return [];
        var products = await ProductsAsync([shopOrder], ct);
        return shopOrder.Lines.Where(l => Catalog.Product.NormalizeSku(l.Sku) is { } sku && !products.ContainsKey(sku))
            .GroupBy(l => Catalog.Product.NormalizeSku(l.Sku)!)
            .Select(g => new UnknownShopSku(g.Key, g.First().Name, g.Sum(l => l.Quantity))).ToList();
    }

    /// <summary>
    /// Whether an order held for unknown SKUs would now find a product for every line (each line has a SKU, and it is a product's or
    /// mapped): the automatic retry's test (<see cref="HeldOrderRetryRound"/>), read from the kept payload. False for a hold of
    /// another kind or one resolved meanwhile. When SKUs are still unknown and the hold keeps other ones (or none: a hold from before
    /// <see cref="HeldShopOrder.UnknownSkus"/>), it keeps these, so the next round's one look-up for all holds passes it over.
    /// </summary>
    public async Task<bool> SkusNowKnownAsync(Guid holdId, CancellationToken ct = default)
    {
        var hold = await db.HeldShopOrders.AsNoTracking().FirstOrDefaultAsync(h => h.Id == holdId, ct) ?? throw new NotFoundException("Held order", holdId);
        if (hold.Status != HoldStatus.Open || hold.Kind != HoldKind.UnknownSku) return false;
        if (await HeldOrderOfAsync(hold, ct) is not { } shopOrder) return false;
        var unknown = HeldSkus(shopOrder, await ProductsAsync([shopOrder], ct));
        if (unknown.Count == 0) return true;
        if (hold.UnknownSkus is null || !hold.UnknownSkus.SequenceEqual(unknown))
        {
            // Only if no delivery wrote the hold since it was read here (each one counts an attempt): theirs is newer.
            IReadOnlyList<string> keep = unknown;
            await db.HeldShopOrders.Where(h => h.Id == hold.Id && h.Status == HoldStatus.Open && h.Attempts == hold.Attempts && h.Kind == HoldKind.UnknownSku)
                .ExecuteUpdateAsync(u => u.SetProperty(h => h.UnknownSkus, keep), ct);
        }
        return false;
    }

    /// <summary>A hold's kept payload as its channel reads it; null when it does not parse (it was held as it came).</summary>
    private async Task<ShopOrder?> HeldOrderOfAsync(HeldShopOrder hold, CancellationToken ct)
    {
        var channel = await db.SalesChannels.AsNoTracking().FirstAsync(c => c.Id == hold.ChannelId, ct);
        try { return ShopOrderParser.Parse(channel.Type, channel.PriceMode, Encoding.UTF8.GetBytes(hold.Payload)); }
        catch (ShopOrderFormatException) { return null; }
    }

    /// <summary>
    /// How a hold for unknown SKUs starts its reason in English, a shop's delivery's language (a retry from the page says it in the
    /// person's); <see cref="HoldKind.UnknownSku"/> says it as data.
    /// </summary>
    public const string UnknownSkuReason = "Unknown SKU: ";

    /// <summary>How a refused order's (English) reason starts; the rest is what the refusing service said.</summary>
    public const string RefusedReason = "Kontor refused the order: ";

    /// <summary>What the refusing service said, without <see cref="RefusedReason"/>: for a page that words its own lead in the reader's language.</summary>
    public static string RefusalDetail(HeldShopOrder hold) =>
        hold.Reason.StartsWith(RefusedReason, StringComparison.Ordinal) ? hold.Reason[RefusedReason.Length..] : hold.Reason;

    /// <summary>
    /// Maps each unknown SKU of a held order to a product (<see cref="Catalog.SkuAliasService.AddAsync"/>: the mapping stays for every later
    /// order) and takes the order again. A refused mapping (400/409) maps nothing of this call and leaves the order held.
    /// </summary>
    public async Task<IngestResult> MapSkusAndRetryAsync(Guid holdId, IReadOnlyList<SkuMapping>? mappings, CancellationToken ct = default)
    {
        if (mappings is not { Count: > 0 }) throw new ValidationException("mappings", "Name at least one SKU and the product it is.");
        var hold = await db.HeldShopOrders.AsNoTracking().FirstOrDefaultAsync(h => h.Id == holdId, ct) ?? throw new NotFoundException("Held order", holdId);
        if (hold.Status == HoldStatus.Resolved) throw new ConflictException($"The held order {hold.ExternalOrderId} was already resolved.");
        // Each SKU once: the mappings are saved together, so a second row for one SKU would only meet the unique index.
        var seen = new Dictionary<string, (SkuMapping Mapping, int Index)>();
        for (var i = 0; i < mappings.Count; i++)
        {
            if (mappings[i] is not { } m || Catalog.Product.NormalizeSku(m.Sku) is not { } sku)
                throw new ValidationException($"mappings[{i}].sku", "Each mapping needs the shop's sku and the product (productSku or productId).");
            if (seen.TryGetValue(sku, out var earlier))
            {
                if (earlier.Mapping.ProductId != m.ProductId || Catalog.Product.NormalizeSku(earlier.Mapping.ProductSku) != Catalog.Product.NormalizeSku(m.ProductSku))
                    throw new ValidationException($"mappings[{i}].sku", $"{sku} is mapped twice, to two products.");
                continue;
            }
            seen.Add(sku, (m, i));
        }
        await unitOfWork.ExecuteAsync(async token =>
        {
            foreach (var (sku, (m, i)) in seen)
            {
                try { await skuAliases.AddAsync(sku, m.ProductId, m.ProductSku, token); }
                catch (ValidationException e) { throw new ValidationException(e.Errors.ToDictionary(kv => $"mappings[{i}].{kv.Key}", kv => kv.Value)); }
            }
            return 0;
        }, ct);
        return await RetryAsync(holdId, ct);
    }

    private async Task<IngestResult> ApplyAsync(SalesChannel channel, ShopOrder shopOrder, string payload, string kind, CancellationToken ct)
    {
        var existing = await db.Orders.Include(o => o.Lines)
            .FirstOrDefaultAsync(o => o.ChannelId == channel.Id && o.ExternalOrderId == shopOrder.ExternalId, ct);
        if (existing is not null) return await UpdateAsync(channel, existing, shopOrder, payload, kind, ct);

        var products = await ProductsAsync([shopOrder], ct);
        var unknown = UnknownSkus(shopOrder, products);
        if (unknown.Count > 0)
            return await HoldInTransactionAsync(channel, shopOrder, payload, Messages.Format("Unknown SKU: {0}. Create or map the product, then retry.", string.Join(", ", unknown)),
                HoldKind.UnknownSku, HeldSkus(shopOrder, products), kind, ct);

        var partyId = (await CustomersAsync([new ShopBuyer(channel, shopOrder.Customer)], ct))[0];
        var order = await orders.CreateAsync(OrderCommand(channel, shopOrder, products, partyId), ct);
        // Written now, inside the transaction: a concurrent delivery of the same order fails here on the unique index.
        await db.SaveChangesAsync(ct);
        await ResolveHoldAsync(channel.Id, shopOrder.ExternalId, order.Id, ct);
        // The shop's product ids of the lines become the channel's mapping where there is none yet (stock and price pushes use it).
        await channelProducts.LearnAsync(channel.Id, shopOrder.Lines.Select(l => (products[Catalog.Product.NormalizeSku(l.Sku)!].Id, l)), ct);
        shopCaused.Add(order.Id);
        await RunStepsAsync(new ShopOrderEvent(channel, order.Id, shopOrder), ct);
        // Said in the language of whoever took the order: English for a shop's delivery, the person's own for a retry from the page.
        var created = Messages.Format("Order {0} created.", order.Number);
        Log(channel, shopOrder.ExternalId, IntegrationStatus.Accepted, payload, created, order.Id, kind);
        return new IngestResult(IngestOutcome.Created, order.Id, order.Number, created);
    }

    private async Task<IngestResult> UpdateAsync(SalesChannel channel, Order order, ShopOrder shopOrder, string payload, string kind, CancellationToken ct)
    {
        if (order.ExternalModifiedAt is { } last && shopOrder.ModifiedAt <= last)
        {
            var message = shopOrder.ModifiedAt == last
                ? Messages.Format("Already applied (order {0}, modified {1:O}).", order.Number, last)
                : Messages.Format("Older than the last applied update ({0:O} < {1:O}); ignored.", shopOrder.ModifiedAt, last);
            // A pull re-reads every order of its overlap each time: those it already has are counted in the pull's own log
            // entry, not logged one by one (they would bury the log); a webhook's repeat is logged, as the shop sent it.
            if (kind != IntegrationLogKinds.OrderPull)
                Log(channel, shopOrder.ExternalId, shopOrder.ModifiedAt == last ? IntegrationStatus.Duplicate : IntegrationStatus.Stale, payload, message, order.Id, kind);
            return new IngestResult(shopOrder.ModifiedAt == last ? IngestOutcome.Duplicate : IngestOutcome.Stale, order.Id, order.Number, message);
        }
        var before = order.ExternalStatus;
        order.ExternalStatus = shopOrder.ShopStatus;
        order.ExternalModifiedAt = shopOrder.ModifiedAt;
        order.Version = Guid.NewGuid();
        audit.Record("order.shop-update", nameof(Order), order.Id, new { order.Number, from = before, to = shopOrder.ShopStatus, modifiedAt = shopOrder.ModifiedAt });
        await db.SaveChangesAsync(ct);
        shopCaused.Add(order.Id);
        var cancelled = shopOrder.State == ShopOrderState.Cancelled && order.Status is OrderStatus.Accepted or OrderStatus.InProgress;
        if (cancelled && order.InvoiceId is null) await orders.ChangeStatusAsync(order.Id, OrderStatus.Cancelled, ct: ct);
        await RunStepsAsync(new ShopOrderEvent(channel, order.Id, shopOrder), ct);
        var text = Messages.Format("Order {0}: shop status {1} → {2}.", order.Number, before, shopOrder.ShopStatus);
        Log(channel, shopOrder.ExternalId, IntegrationStatus.Updated, payload, text, order.Id, kind);
        return new IngestResult(IngestOutcome.Updated, order.Id, order.Number, text);
    }

    private async Task RunStepsAsync(ShopOrderEvent e, CancellationToken ct)
    {
        foreach (var step in steps) await step.RunAsync(e, ct);
    }

    private static TaxIdKind VatIdKind(string? vatId) =>
        vatId is { Length: > 2 } v && char.IsAsciiLetter(v[0]) && char.IsAsciiLetter(v[1]) && !v.StartsWith("PL", StringComparison.OrdinalIgnoreCase) ? TaxIdKind.EuVat : TaxIdKind.Nip;

    private async Task<IngestResult> HoldAsync(SalesChannel channel, ShopOrder shopOrder, string payload, string kind, string reason, HoldKind holdKind,
        IReadOnlyList<string>? unknownSkus, CancellationToken ct) =>
        await unitOfWork.ExecuteAsync(token => HoldInTransactionAsync(channel, shopOrder, payload, reason, holdKind, unknownSkus, kind, token), ct);

    /// <param name="unknownSkus">For <see cref="HoldKind.UnknownSku"/>: the delivery's SKUs that name no product (<see cref="HeldShopOrder.UnknownSkus"/>).</param>
    private async Task<IngestResult> HoldInTransactionAsync(SalesChannel channel, ShopOrder shopOrder, string payload, string reason, HoldKind holdKind,
        IReadOnlyList<string>? unknownSkus, string kind, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hold = await db.HeldShopOrders.FirstOrDefaultAsync(h => h.ChannelId == channel.Id && h.ExternalOrderId == shopOrder.ExternalId, ct);
        if (hold is null)
        {
            hold = new HeldShopOrder { ChannelId = channel.Id, ExternalOrderId = shopOrder.ExternalId, CreatedAt = now, Attempts = 1 };
            db.HeldShopOrders.Add(hold);
        }
        else
        {
            // Counted in the database: concurrent deliveries of one held order each add theirs (the row lock orders them).
            await db.HeldShopOrders.Where(h => h.Id == hold.Id).ExecuteUpdateAsync(u => u.SetProperty(h => h.Attempts, h => h.Attempts + 1), ct);
        }
        if (hold.Payload.Length == 0 || shopOrder.ModifiedAt >= hold.ExternalModifiedAt)
        {
            // Why it is held goes with the payload a retry takes: an older delivery arriving late counts its attempt and is logged,
            // but its reason (its SKUs) is not the kept order's — the automatic retry would look for the wrong SKUs.
            hold.Payload = payload;
            hold.ExternalModifiedAt = shopOrder.ModifiedAt;
            // Forty long unknown SKUs, or a refusal naming many fields, make a text longer than the column: the shop would resend
            // a delivery that can never be stored. The kind and SKUs are whole; the log keeps the whole text.
            hold.Reason = TextLength.Shorten(reason, HeldShopOrder.MaxReasonLength);
            hold.Kind = holdKind;
            hold.UnknownSkus = holdKind == HoldKind.UnknownSku ? unknownSkus : null;
        }
        hold.Status = HoldStatus.Open;
        hold.UpdatedAt = now;
        Log(channel, shopOrder.ExternalId, IntegrationStatus.Held, payload, reason, null, kind);
        return new IngestResult(IngestOutcome.Held, null, null, reason, hold.Id);
    }

    private async Task ResolveHoldAsync(Guid channelId, string externalId, Guid orderId, CancellationToken ct)
    {
        var hold = await db.HeldShopOrders.FirstOrDefaultAsync(h => h.ChannelId == channelId && h.ExternalOrderId == externalId, ct);
        if (hold is null) return;
        hold.Status = HoldStatus.Resolved;
        hold.OrderId = orderId;
        hold.UpdatedAt = clock.GetUtcNow();
    }

    private void Log(SalesChannel channel, string externalId, IntegrationStatus status, string payload, string response, Guid? orderId, string kind) =>
        db.IntegrationLog.Add(Entry(channel, externalId, status, payload, response, orderId, kind));

    /// <summary>Written in a scope of its own: the delivery's transaction was rolled back.</summary>
    private async Task LogAsync(SalesChannel channel, string externalId, IntegrationStatus status, string payload, string response, Guid? orderId, string kind, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IntegrationLog>().WriteAsync(Entry(channel, externalId, status, payload, response, orderId, kind), ct);
    }

    private IntegrationLogEntry Entry(SalesChannel channel, string externalId, IntegrationStatus status, string payload, string response, Guid? orderId, string kind) => new()
    {
        ChannelId = channel.Id, Direction = IntegrationDirection.In, Kind = kind, Status = status, ExternalId = externalId,
        Payload = payload, Response = response, OrderId = orderId, At = clock.GetUtcNow(),
    };

    private static string Reason(Exception e) => e switch
    {
        ValidationException v => RefusedReason + string.Join(" ", v.Errors.SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}"))),
        _ => RefusedReason + e.Message,
    };
}

/// <summary>Writes integration log entries outside any delivery's transaction (rejected bodies, duplicates, outbox attempts).</summary>
public sealed class IntegrationLog(KontorDbContext db)
{
    public async Task WriteAsync(IntegrationLogEntry entry, CancellationToken ct = default)
    {
        db.IntegrationLog.Add(entry);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>A SKU of a held shop order that names no product, with the shop's name for the line and the quantity ordered.</summary>
public sealed record UnknownShopSku(string Sku, string Name, decimal Quantity);

/// <summary>A shop's <paramref name="Sku"/> is the catalogue product named by its own <paramref name="ProductSku"/> or by <paramref name="ProductId"/>.</summary>
public sealed record SkuMapping(string? Sku, Guid? ProductId, string? ProductSku = null);
