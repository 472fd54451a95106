using Kontor.Commerce;
using Microsoft.Extensions.Options;

namespace Kontor.Web.Hosting;

/// <summary>
/// Every <c>Commerce:HeldOrders:RetryMinutes</c> (default 5; 0 = off) takes again the shop orders held for unknown SKUs whose SKUs
/// now all name products (docs/commerce.md "Held orders go through by themselves"). Every node may run it: a retry of a hold
/// another node already resolved is refused (409) and passed over; the order itself is unique per (channel, external id).
/// </summary>
public sealed class HeldOrderRetryWorker(HeldOrderRetryRound round, IOptions<HeldOrderRetryOptions> options, ILogger<HeldOrderRetryWorker> logger) : PeriodicWorker(logger)
{
    protected override string Name => "Held order retry";

    protected override TimeSpan? Interval => options.Value.RetryMinutes > 0 ? TimeSpan.FromMinutes(options.Value.RetryMinutes) : null;

    protected override string OffReason => "Commerce:HeldOrders:RetryMinutes=0";

    protected override async Task RunRoundAsync(CancellationToken ct)
    {
        var results = await round.RetryResolvableAsync(ct);
        if (results.Count > 0)
            logger.LogInformation("Held order retry: {Retried} retried, {Created} went through.", results.Count, results.Count(r => r.Outcome == IngestOutcome.Created));
    }
}
