using Kontor.Outbox;
using Microsoft.Extensions.Options;

namespace Kontor.Web.Hosting;

/// <summary>
/// Polls the outbox every <c>Outbox:PollSeconds</c> (default 2) and sends what is due (docs/commerce.md, "Outbox");
/// off with <c>Outbox:Enabled=false</c>. Every node may run it: messages are claimed one by one.
/// </summary>
public sealed class OutboxWorker(OutboxDispatcher dispatcher, IOptions<OutboxOptions> options, ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Outbox: the dispatcher is disabled (Outbox:Enabled=false).");
            return;
        }
        var interval = TimeSpan.FromSeconds(Math.Max(0.1, options.Value.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means more may be waiting: go again at once.
                while (await dispatcher.DispatchDueAsync(stoppingToken) >= options.Value.BatchSize) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogError(e, "Outbox: the round failed; trying again in {Interval}.", interval);
            }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
