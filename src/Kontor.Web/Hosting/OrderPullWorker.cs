using Kontor.Commerce;
using Microsoft.Extensions.Options;

namespace Kontor.Web.Hosting;

/// <summary>
/// Every <c>Commerce:OrderPull:IntervalMinutes</c> (default 15; 0 = off) fetches the orders the shops changed since each
/// channel's watermark (docs/commerce.md "Catch-up pull"). The first round runs at start-up, so orders that arrived while
/// Kontor was down are fetched at once. Every node may run it: two nodes pulling one channel ingest the same orders
/// idempotently (unique (channel, external id), updates by the shop's modification time) and the watermark only moves forward.
/// </summary>
public sealed class OrderPullWorker(ShopOrderPullRound round, IOptions<OrderPullOptions> options, ILogger<OrderPullWorker> logger) : PeriodicWorker(logger)
{
    protected override string Name => "Order pull";

    protected override TimeSpan? Interval => options.Value.IntervalMinutes > 0 ? TimeSpan.FromMinutes(options.Value.IntervalMinutes) : null;

    protected override string OffReason => "Commerce:OrderPull:IntervalMinutes=0";

    protected override async Task RunRoundAsync(CancellationToken ct)
    {
        foreach (var summary in await round.PullAllAsync(ct))
            if (summary.Created + summary.Updated + summary.Held + summary.Rejected > 0)
                logger.LogInformation("Order pull of channel {Channel}: created {Created}, updated {Updated}, held {Held}, rejected {Rejected}.",
                    summary.ChannelId, summary.Created, summary.Updated, summary.Held, summary.Rejected);
    }
}
