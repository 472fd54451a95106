using System.Threading.Channels;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Crm.Duplicates;
using Kontor.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kontor.Commerce;

/// <summary>A verified, parsed shop delivery waiting to be ingested.</summary>
public sealed record ShopDelivery(SalesChannel Channel, ShopOrder Order, string Payload);

/// <summary>The buyer of a shop order as the channel matches it (its <see cref="SalesChannel.MatchingOrder"/>).</summary>
internal sealed record ShopBuyer(SalesChannel Channel, ShopCustomer Customer);

/// <summary>Configuration section <c>Commerce:Ingestion</c> (docs/commerce.md "Batched ingestion").</summary>
public sealed class ShopIngestionOptions : ICheckedOptions
{
    /// <summary>Deliveries that arrive together are taken in one transaction; off: each delivery on its own, as they come.</summary>
    public bool Batching { get; set; } = true;

    /// <summary>At most this many deliveries in one transaction: the first of them waits for all of them to be written.</summary>
    public int MaxBatch { get; set; } = 32;

    /// <summary>
    /// At most this many deliveries wait for the consumer (the batch being written is not counted); one more is refused
    /// before anything is stored — 503 with <c>Retry-After</c> — so the shop sends it again later. The default is about two
    /// seconds of work at the measured ≈ 500 orders/s (decision 50): a delivery at the back of a full queue is still answered
    /// within Shopify's 5 s.
    /// </summary>
    public int MaxQueued { get; set; } = 1000;

    /// <summary>The <c>Retry-After</c> (seconds) of a refused delivery: longer than a full queue takes to drain.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>What is wrong with the settings, by key (empty when they are fine); checked at start-up.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxBatch is < 1 or > 500) problems.Add($"Commerce:Ingestion:MaxBatch must be between 1 and 500 (deliveries per transaction); it is {MaxBatch}.");
        if (MaxQueued < 1) problems.Add($"Commerce:Ingestion:MaxQueued must be at least 1 (deliveries waiting for ingestion); it is {MaxQueued}.");
        if (RetryAfterSeconds is < 1 or > 3600) problems.Add($"Commerce:Ingestion:RetryAfterSeconds must be between 1 and 3600; it is {RetryAfterSeconds}.");
        return problems;
    }
}

/// <summary>Why a delivery was not taken into the queue: it is full, or the process is shutting down.</summary>
public enum QueueRefusal { Full, ShuttingDown }

/// <summary>
/// The webhook deliveries of this process, taken by ONE consumer in batches (docs/commerce.md "Batched ingestion", decision
/// §45): whatever arrived while the previous batch was being written is the next batch — no waiting for a batch to fill, so a
/// lone delivery goes at once, and under load the deliveries share one transaction, one commit and set-based reads. Each
/// delivery's caller is answered when ITS outcome is committed; a delivery lost with the process (kill -9) was never answered,
/// so the shop sends it again. The queue is bounded (<see cref="ShopIngestionOptions.MaxQueued"/>): when it is full — or
/// closed at shutdown — a delivery is refused at once and nothing of it is stored (decision 50).
/// </summary>
public sealed class ShopOrderQueue : IAsyncDisposable
{
    private readonly Channel<PendingDelivery> pending;
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger<ShopOrderQueue> logger;
    private readonly ShopIngestionMetrics metrics;
    private readonly TimeProvider clock;
    private readonly int maxBatch;
    private readonly int maxQueued;
    private readonly Task consumer;
    private bool closed;
    // Deliveries written to the channel and not yet taken by the consumer: the bound is checked against it (an unbounded
    // single-reader channel cannot count itself, and WooCommerce's deliveries may go past the bound).
    private int waiting;
    // Deliveries refused since the queue last took one: the first refusal of a spell is logged, the spell's end with its count.
    private int refusedInARow;

    public ShopOrderQueue(IServiceScopeFactory scopes, IOptions<ShopIngestionOptions> options, ILogger<ShopOrderQueue> logger,
        ShopIngestionMetrics metrics, TimeProvider clock)
    {
        this.scopes = scopes;
        this.logger = logger;
        this.metrics = metrics;
        this.clock = clock;
        maxBatch = options.Value.MaxBatch;
        maxQueued = options.Value.MaxQueued;
        pending = Channel.CreateUnbounded<PendingDelivery>(new UnboundedChannelOptions { SingleReader = true });
        metrics.ObserveQueue(() => Volatile.Read(ref waiting));
        // Not on the first caller's execution context: its HTTP request (and user) must not become every batch's ambient context.
        using (ExecutionContext.SuppressFlow()) consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>
    /// Takes the delivery into the next batch: <paramref name="answer"/> completes when its outcome is committed (or failed).
    /// Returns the refusal instead — nothing queued, nothing stored — when the process is shutting down, or when
    /// <see cref="ShopIngestionOptions.MaxQueued"/> deliveries are already waiting and the sender resends refused deliveries.
    /// WooCommerce does not (and disables the webhook after 5 failures in a row) but waits up to a minute for the answer,
    /// and sends each shop's deliveries a few at a time, so its deliveries queue past the bound instead (decision 50).
    /// </summary>
    public QueueRefusal? TryIngest(ShopDelivery delivery, CancellationToken ct, out Task<IngestResult> answer)
    {
        var item = new PendingDelivery(delivery, clock.GetTimestamp());
        var mayRefuse = delivery.Channel.Type != ChannelType.WooCommerce;
        var full = Interlocked.Increment(ref waiting) > maxQueued && mayRefuse;
        if (full || !pending.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref waiting);
            answer = Task.FromCanceled<IngestResult>(new CancellationToken(canceled: true));
            if (Volatile.Read(ref closed)) return QueueRefusal.ShuttingDown;
            // One line per spell, not per delivery: under overload a line per refusal would be the next thing to overload.
            if (Interlocked.Increment(ref refusedInARow) == 1)
                logger.LogWarning("The shop ingestion queue is full ({MaxQueued} deliveries waiting): deliveries are refused with 503 until it drains", maxQueued);
            return QueueRefusal.Full;
        }
        // The spell ends when the queue has drained to half, not at the first free slot: under a sustained overload every
        // batch the consumer takes frees slots for a moment, and "full" / "takes again" would alternate per batch.
        if (Volatile.Read(ref refusedInARow) > 0 && Volatile.Read(ref waiting) <= maxQueued / 2
            && Interlocked.Exchange(ref refusedInARow, 0) is var refused and > 0)
            logger.LogWarning("The shop ingestion queue takes deliveries again; {Refused} were refused with 503 while it was full", refused);
        // The caller may stop waiting (the shop hung up); the delivery is still taken, and a re-sent copy answers Duplicate.
        answer = item.Completion.Task.WaitAsync(ct);
        return null;
    }

    private async Task ConsumeAsync()
    {
        var batch = new List<PendingDelivery>(maxBatch);
        while (await pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxBatch && pending.Reader.TryRead(out var item)) batch.Add(item);
            Interlocked.Add(ref waiting, -batch.Count);
            var taken = clock.GetTimestamp();
            foreach (var item in batch) metrics.Waited(clock.GetElapsedTime(item.QueuedAt, taken));
            var together = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                together = await scope.ServiceProvider.GetRequiredService<ShopOrderIngestion>().IngestAsync(batch, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "A batch of {Count} shop deliveries failed", batch.Count);
                foreach (var item in batch) item.Completion.TrySetException(e);
            }
            finally { metrics.BatchDone(batch.Count, together, clock.GetElapsedTime(taken)); }
        }
    }

    /// <summary>Takes no more deliveries: they are refused as <see cref="QueueRefusal.ShuttingDown"/>. Those already queued are still written.</summary>
    public void Close()
    {
        // Before completing the writer: a refusal seen after this is the shutdown's, not a full queue's.
        Volatile.Write(ref closed, true);
        pending.Writer.TryComplete();
    }

    /// <summary>
    /// Takes no more deliveries (they are refused as <see cref="QueueRefusal.ShuttingDown"/>) and waits until the ones
    /// already queued are written — their callers are waiting. Called when the host stops, while its services are still
    /// there for the consumer's scopes (the host's disposal would be too late: the consumer could no longer open one).
    /// </summary>
    public async Task CloseAsync(CancellationToken ct = default)
    {
        Close();
        // A stuck database does not hold the shutdown forever: 30 s, or less if the host's shutdown timeout is shorter.
        await consumer.WaitAsync(TimeSpan.FromSeconds(30), ct).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync() => await CloseAsync();
}

/// <summary>A queued delivery (and when, by <see cref="TimeProvider.GetTimestamp"/>) and the answer its caller waits for.</summary>
public sealed class PendingDelivery(ShopDelivery delivery, long queuedAt)
{
    public ShopDelivery Delivery { get; } = delivery;
    public long QueuedAt { get; } = queuedAt;
    public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public sealed partial class ShopOrderIngestion
{
    /// <summary>
    /// A batch of deliveries (<see cref="ShopOrderQueue"/>): the NEW orders among them — first delivery of an order not in
    /// Kontor, not held, all SKUs known, neither cancelled nor refunded — are created in ONE transaction with set-based
    /// reads and written together; every other delivery (an update, a repeat of an order of the same batch, a hold…) then
    /// goes the one-at-a-time way after that commit, in its order. If anything in the batch is refused (a credit block, a
    /// VAT id Kontor does not accept, a race with another process…) the batch's transaction rolls back and EVERY delivery
    /// goes one at a time, which holds, retries or answers Duplicate exactly as before: batching changes how many
    /// transactions there are, never an outcome. Each delivery's completion is set here. Returns how many orders were created
    /// together (the rest went one at a time).
    /// </summary>
    public async Task<int> IngestAsync(IReadOnlyList<PendingDelivery> batch, CancellationToken ct)
    {
        IReadOnlyList<IngestResult?> created = [];
        if (batch.Count > 1 && steps.All(s => s is IShopOrderBatchStep))
        {
            var deliveries = batch.Select(p => p.Delivery).ToList();
            try
            {
                created = await unitOfWork.ExecuteAsync(token => CreateNewOrdersAsync(deliveries, token), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A refusal or a lost race is expected now and then; anything else is a defect of the batch path that would
                // silently turn every batch into single deliveries — loud enough to be seen.
                if (e is ValidationException or ConflictException or NotFoundException or DuplicatePartyException or CurrencyMismatchException
                    or Ledger.LedgerPostingException or Crm.Credit.CreditBlockedException or DbUpdateException)
                    logger.LogInformation("A batch of {Count} shop deliveries was rolled back and is taken one delivery at a time: {Reason}", batch.Count, e.Message);
                else
                    logger.LogWarning(e, "A batch of {Count} shop deliveries failed unexpectedly and is taken one delivery at a time", batch.Count);
                created = [];
            }
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (i < created.Count && created[i] is { } result)
            {
                batch[i].Completion.TrySetResult(result);
                continue;
            }
            var (channel, shopOrder, payload) = batch[i].Delivery;
            // Each delivery reads what it changes afresh, not rows an earlier delivery of the batch left tracked.
            db.ChangeTracker.Clear();
            try { batch[i].Completion.TrySetResult(await IngestAsync(channel, shopOrder, payload, ct)); }
            catch (Exception e) { batch[i].Completion.TrySetException(e); }
        }
        return created.Count(r => r is not null);
    }

    /// <summary>The new orders of the batch, created together; null for the deliveries left to the one-at-a-time way.</summary>
    private async Task<IReadOnlyList<IngestResult?>> CreateNewOrdersAsync(IReadOnlyList<ShopDelivery> deliveries, CancellationToken ct)
    {
        var results = new IngestResult?[deliveries.Count];
        var channelIds = deliveries.Select(d => d.Channel.Id).Distinct().ToList();
        var externalIds = deliveries.Select(d => d.Order.ExternalId).Distinct().ToList();
        // Orders Kontor has, and holds (an order held before is resolved by its own delivery): one-at-a-time work.
        var taken = (await db.Orders.AsNoTracking()
                .Where(o => o.ChannelId != null && channelIds.Contains(o.ChannelId.Value) && externalIds.Contains(o.ExternalOrderId!))
                .Select(o => new { ChannelId = o.ChannelId!.Value, ExternalId = o.ExternalOrderId! }).ToListAsync(ct))
            .Concat(await db.HeldShopOrders.AsNoTracking()
                .Where(h => channelIds.Contains(h.ChannelId) && externalIds.Contains(h.ExternalOrderId))
                .Select(h => new { h.ChannelId, ExternalId = h.ExternalOrderId }).ToListAsync(ct))
            .Select(o => (o.ChannelId, o.ExternalId)).ToHashSet();
        var products = await ProductsAsync([.. deliveries.Select(d => d.Order)], ct);
        var fresh = new List<int>();
        for (var i = 0; i < deliveries.Count; i++)
        {
            var (channel, order, _) = deliveries[i];
            // A second delivery of the same order in this batch is an update (or a duplicate) of the first: after the commit.
            if (!taken.Add((channel.Id, order.ExternalId))) continue;
            if (order.State != ShopOrderState.Open || order.Refunds is { Count: > 0 } || UnknownSkus(order, products).Count > 0) continue;
            fresh.Add(i);
        }
        if (fresh.Count == 0) return results;

        var partyIds = await CustomersAsync([.. fresh.Select(i => new ShopBuyer(deliveries[i].Channel, deliveries[i].Order.Customer))], ct);
        var created = await orders.CreateManyAsync(
            [.. fresh.Select((i, k) => OrderCommand(deliveries[i].Channel, deliveries[i].Order, products, partyIds[k]))], ct);
        // Written now: a delivery of the same order by another process fails the batch here on the unique index (then one at a time).
        await db.SaveChangesAsync(ct);
        foreach (var group in fresh.GroupBy(i => deliveries[i].Channel.Id))
            await channelProducts.LearnAsync(group.Key,
                group.SelectMany(i => deliveries[i].Order.Lines.Select(l => (products[Catalog.Product.NormalizeSku(l.Sku)!].Id, l))), ct);
        var events = fresh.Select((i, k) => new ShopOrderEvent(deliveries[i].Channel, created[k].Id, deliveries[i].Order)).ToList();
        foreach (var step in steps) await ((IShopOrderBatchStep)step).RunAsync(events, ct);
        for (var k = 0; k < fresh.Count; k++)
        {
            var (channel, shopOrder, payload) = deliveries[fresh[k]];
            var text = $"Order {created[k].Number} created.";
            Log(channel, shopOrder.ExternalId, IntegrationStatus.Accepted, payload, text, created[k].Id, IntegrationLogKinds.OrderWebhook);
            results[fresh[k]] = new IngestResult(IngestOutcome.Created, created[k].Id, created[k].Number, text);
        }
        return results;
    }

    /// <summary>
    /// The catalogue products the orders' SKUs name (normalised SKU → product), read at once: a product's own SKU, else a SKU mapped to
    /// it (<see cref="Catalog.SkuAliasService"/>, asked only for the SKUs no product has).
    /// </summary>
    private Task<Dictionary<string, (Guid Id, string VatRateCode, string Unit)>> ProductsAsync(IReadOnlyList<ShopOrder> shopOrders, CancellationToken ct) =>
        ProductsBySkuAsync(shopOrders.SelectMany(o => o.Lines).Select(l => Catalog.Product.NormalizeSku(l.Sku)).OfType<string>().Distinct().ToList(), ct);

    /// <summary>
    /// The products that <paramref name="wanted"/> (normalised SKUs) name, the same way: the orders' lines, and the automatic retry
    /// asking once for the stored SKUs of all its holds (<see cref="HeldOrderRetryRound"/>).
    /// </summary>
    internal async Task<Dictionary<string, (Guid Id, string VatRateCode, string Unit)>> ProductsBySkuAsync(IReadOnlyCollection<string> wanted, CancellationToken ct)
    {
        if (wanted.Count == 0) return [];
        var products = (await db.Products.AsNoTracking().Where(p => wanted.Contains(p.Sku)).Select(p => new { p.Id, p.Sku, p.VatRateCode, p.Unit }).ToListAsync(ct))
            .ToDictionary(p => p.Sku, p => (p.Id, p.VatRateCode, p.Unit));
        var mapped = await skuAliases.ProductIdsAsync(wanted.Where(sku => !products.ContainsKey(sku)).ToList(), ct);
        if (mapped.Count > 0)
        {
            var ids = mapped.Values.Distinct().ToList();
            var byId = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => (p.Id, p.VatRateCode, p.Unit), ct);
            foreach (var (sku, productId) in mapped) products[sku] = byId[productId];
        }
        return products;
    }

    private static List<string> UnknownSkus(ShopOrder shopOrder, Dictionary<string, (Guid Id, string VatRateCode, string Unit)> products) =>
        shopOrder.Lines.Where(l => Catalog.Product.NormalizeSku(l.Sku) is not { } sku || !products.ContainsKey(sku))
            .Select(l => l.Sku ?? $"(no SKU: {l.Name})").Distinct().ToList();

    /// <summary>The same lines as a hold keeps them (<see cref="HeldShopOrder.UnknownSkus"/>): normalised, "" for a line without a SKU.</summary>
    private static List<string> HeldSkus(ShopOrder shopOrder, Dictionary<string, (Guid Id, string VatRateCode, string Unit)> products) =>
        shopOrder.Lines.Select(l => Catalog.Product.NormalizeSku(l.Sku) ?? "").Where(sku => !products.ContainsKey(sku)).Distinct().ToList();

    /// <summary>The order as the shop sent it: its prices, discounts, currency; shipping as a line.</summary>
    private static CreateOrder OrderCommand(SalesChannel channel, ShopOrder shopOrder, Dictionary<string, (Guid Id, string VatRateCode, string Unit)> products, Guid partyId)
    {
        var lines = shopOrder.Lines.Select(l =>
        {
            var product = products[Catalog.Product.NormalizeSku(l.Sku)!];
            return new Sales.InvoiceLineInput(product.Id, l.Name, l.Quantity, l.UnitPrice, 0m, product.VatRateCode, product.Unit);
        }).ToList();
        if (shopOrder.Shipping != 0m)
        {
            // Shipping is a free-text line at the basic rate of the first product's country (decision in docs/commerce.md): no service product to create or map.
            lines.Add(new Sales.InvoiceLineInput(null, "Dostawa / Shipping", 1m, shopOrder.Shipping, 0m, lines[0].VatRateCode, "usł."));
        }
        return new CreateOrder(partyId, shopOrder.Currency, channel.PriceMode, $"{channel.Name} #{shopOrder.Number ?? shopOrder.ExternalId}", lines,
            Origin: new ShopOrigin(channel.Id, shopOrder.ExternalId, shopOrder.ShopStatus, shopOrder.ModifiedAt));
    }

    /// <summary>
    /// The buyers' parties, in order: matched by the channel's keys or created. Deliveries are read and created in "waves":
    /// a wave ends before the first buyer who shares a key with a buyer of the wave not found in Kontor — that one must find
    /// the party the earlier one creates, exactly as if each delivery had been committed on its own.
    /// </summary>
    private async Task<IReadOnlyList<Guid>> CustomersAsync(IReadOnlyList<ShopBuyer> buyers, CancellationToken ct)
    {
        var partyIds = new Guid[buyers.Count];
        var start = 0;
        while (start < buyers.Count)
        {
            var matched = await MatchCustomersAsync(buyers.Skip(start).ToList(), ct);
            var newKeys = new HashSet<(PartyMatchKey, string)>();
            var toCreate = new List<int>();
            var end = start;
            for (; end < buyers.Count; end++)
            {
                if (MatchKeys(buyers[end]).Any(newKeys.Contains)) break;
                if (matched[end - start] is { } found) { partyIds[end] = found; continue; }
                // Every key of the new customer, not only those its own channel matches by: a buyer of another channel may
                // match by another one (an extra key costs at most an extra wave, never a wrong match).
                var probe = Probe(buyers[end].Customer);
                newKeys.UnionWith(Enum.GetValues<PartyMatchKey>().Select(kind => (kind, probe.Key(kind))).Where(k => k.Item2 is not null).Select(k => (k.kind, k.Item2!)));
                toCreate.Add(end);
            }
            if (toCreate.Count > 0)
            {
                // The match step already decided there is no such customer: a look-alike is a warning, not a stop.
                // One buyer (a delivery on its own) is created as one: a refusal names its fields without a batch index.
                var created = toCreate.Count == 1
                    ? [await parties.CreateCheckedAsync(CustomerCommand(buyers[toCreate[0]]), confirmDuplicate: true, ct)]
                    : await parties.CreateManyCheckedAsync([.. toCreate.Select(i => CustomerCommand(buyers[i]))], confirmDuplicate: true, ct);
                await db.SaveChangesAsync(ct);
                for (var k = 0; k < toCreate.Count; k++) partyIds[toCreate[k]] = created[k].Party.Id;
            }
            start = end;
        }
        return partyIds;
    }

    /// <summary>For each buyer, the party the channel's keys recognise (<see cref="PartyMatching"/>), or null.</summary>
    private async Task<Guid?[]> MatchCustomersAsync(IReadOnlyList<ShopBuyer> buyers, CancellationToken ct)
    {
        var found = await matching.MatchManyAsync([.. buyers.Select(b => (Probe(b.Customer), (IReadOnlyList<PartyMatchKey>)[.. b.Channel.MatchingOrder().Select(MatchKind)]))], ct);
        return [.. buyers.Select((_, i) => found.TryGetValue(i, out var id) ? id : (Guid?)null)];
    }

    private static PartyMatchProbe Probe(ShopCustomer c) => new(c.Email, VatIdKind(c.VatId), c.VatId, c.Phone);

    private static PartyMatchKey MatchKind(CustomerMatchKey key) => key switch
    {
        CustomerMatchKey.Email => PartyMatchKey.Email,
        CustomerMatchKey.Nip => PartyMatchKey.TaxId,
        _ => PartyMatchKey.Phone,
    };

    /// <summary>The keys the buyer is looked for by, as its channel matches.</summary>
    private static IEnumerable<(PartyMatchKey, string)> MatchKeys(ShopBuyer buyer)
    {
        var probe = Probe(buyer.Customer);
        return buyer.Channel.MatchingOrder().Select(MatchKind).Select(kind => (kind, probe.Key(kind))).Where(k => k.Item2 is not null).Select(k => (k.kind, k.Item2!));
    }

    /// <summary>A new customer from the order: a company when the channel says so and the buyer gave a company and a VAT id, else a person.</summary>
    private static CreateParty CustomerCommand(ShopBuyer buyer)
    {
        var (channel, c) = buyer;
        var company = channel.CreateCompanyForVatId && !string.IsNullOrWhiteSpace(c.Company) && !string.IsNullOrWhiteSpace(c.VatId);
        var name = company ? c.Company! : c.PersonName.Length > 0 ? c.PersonName : c.Company ?? c.Email ?? "Klient sklepu";
        return new CreateParty(company ? PartyKind.Company : PartyKind.Person, name,
            company ? VatIdKind(c.VatId) : TaxIdKind.None, company ? c.VatId : null,
            new AddressInput(c.Street, c.PostalCode, c.City, c.CountryCode?.ToUpperInvariant()), c.Email, c.Phone,
            null, null, null, null, null);
    }
}
