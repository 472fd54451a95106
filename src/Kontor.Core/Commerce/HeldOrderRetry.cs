using Kontor.Common;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kontor.Commerce;

/// <summary>Configuration section <c>Commerce:HeldOrders</c> (docs/commerce.md "Held orders go through by themselves").</summary>
public sealed class HeldOrderRetryOptions : ICheckedOptions
{
    /// <summary>How often orders held for unknown SKUs are looked at again; 0 turns the automatic retry off (Retry still works).</summary>
    public double RetryMinutes { get; set; } = 5;

    public IReadOnlyList<string> Problems() =>
        RetryMinutes < 0 ? [$"Commerce:HeldOrders:RetryMinutes must be 0 (off) or more; it is {RetryMinutes}."] : [];
}

/// <summary>
/// Takes again, by itself, every order held only because a SKU named no product once each of its SKUs names one — a product created
/// with it, or the SKU mapped — so nobody has to come back and press Retry. Holds of other kinds (a refused customer, credit
/// control) wait for a person: lifting them is a decision. Each hold in its own scope and transaction, as a person's retry.
/// </summary>
public sealed class HeldOrderRetryRound(IServiceScopeFactory scopes, ILogger<HeldOrderRetryRound> logger)
{
    /// <summary>At most this many holds a round (the oldest-updated first); the rest wait for the next.</summary>
    public const int MaxPerRound = 500;

    /// <returns>The retries made and how they went.</returns>
    public async Task<IReadOnlyList<IngestResult>> RetryResolvableAsync(CancellationToken ct = default)
    {
        List<(Guid Id, string ExternalOrderId, Guid ChannelId)> worthChecking;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var holds = await scope.ServiceProvider.GetRequiredService<KontorDbContext>().HeldShopOrders.AsNoTracking()
                .Where(h => h.Status == HoldStatus.Open && h.Kind == HoldKind.UnknownSku)
                .OrderBy(h => h.UpdatedAt).Take(MaxPerRound).Select(h => new { h.Id, h.ExternalOrderId, h.ChannelId, h.UnknownSkus }).ToListAsync(ct);
            // One look-up for the SKUs of every hold: a round in which nothing was created or mapped reads no payload. A "" (a line
            // without a SKU) names no product ever; a hold that keeps no SKUs (held before they were kept) is read as it was held.
            var skus = holds.SelectMany(h => h.UnknownSkus ?? []).Where(sku => sku.Length > 0).Distinct().ToList();
            var known = await scope.ServiceProvider.GetRequiredService<ShopOrderIngestion>().ProductsBySkuAsync(skus, ct);
            worthChecking = holds.Where(h => h.UnknownSkus is null || h.UnknownSkus.All(known.ContainsKey)).Select(h => (h.Id, h.ExternalOrderId, h.ChannelId)).ToList();
        }
        var done = new List<IngestResult>();
        foreach (var (holdId, externalId, channelId) in worthChecking)
        {
            await using var scope = scopes.CreateAsyncScope();
            var ingestion = scope.ServiceProvider.GetRequiredService<ShopOrderIngestion>();
            try
            {
                // The whole order as it would be taken now, from its kept payload (the stored SKUs are what was unknown when it was held).
                if (!await ingestion.SkusNowKnownAsync(holdId, ct)) continue;
                done.Add(await ingestion.RetryAsync(holdId, ct));
            }
            catch (ConflictException) { /* resolved meanwhile (a person's Retry, a new delivery): nothing to do */ }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // One hold that cannot be taken must not stop the others; it stays open and is tried again next round.
                logger.LogError(e, "Retrying held shop order {ExternalId} of channel {Channel} failed.", externalId, channelId);
            }
        }
        return done;
    }
}
