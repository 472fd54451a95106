using Kontor.Commerce;
using Microsoft.Extensions.Options;

namespace Kontor.Web.Hosting;

/// <summary>
/// Every <c>Commerce:OrderPull:IntervalMinutes</c> (default 15; 0 = off) fetches the orders the shops changed since each
/// channel's watermark (docs/commerce.md "Catch-up pull"). The first round runs at start-up, so orders that arrived while
/// Kontor was down are fetched at once. Every node may run it: two nodes pulling one channel ingest the same orders
/// idempotently (unique (channel, external id), updates by the shop's modification time) and the watermark only moves forward.
/// </summary>
public sealed class OrderPullWorker(ShopOrderPullRound round, IOptions<OrderPullOptions> options, ILogger<OrderPullWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IntervalMinutes <= 0)
        {
            logger.LogInformation("Order pull: the worker is off (Commerce:OrderPull:IntervalMinutes=0).");
            return;
        }
        var interval = TimeSpan.FromMinutes(options.Value.IntervalMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var summary in await round.PullAllAsync(stoppingToken))
                    if (summary.Created + summary.Updated + summary.Held + summary.Rejected > 0)
                        logger.LogInformation("Order pull of channel {Channel}: created {Created}, updated {Updated}, held {Held}, rejected {Rejected}.",
                            summary.ChannelId, summary.Created, summary.Updated, summary.Held, summary.Rejected);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogError(e, "Order pull: the round failed; trying again in {Interval}.", interval);
            }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
