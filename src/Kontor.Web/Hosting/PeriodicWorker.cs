namespace Kontor.Web.Hosting;

/// <summary>
/// A background job run every <see cref="Interval"/> until the host stops: a failing round is logged and the next one
/// tries again (the database may be briefly unreachable; the worker must outlive it). A null interval switches the
/// worker off, with <see cref="OffReason"/> logged once. Every node may run these: each job makes its own rounds safe.
/// </summary>
public abstract class PeriodicWorker(ILogger logger) : BackgroundService
{
    /// <summary>How the job is named in the log ("Outbox", "Order pull", …).</summary>
    protected abstract string Name { get; }

    /// <summary>The pause between rounds; null when the worker is switched off.</summary>
    protected abstract TimeSpan? Interval { get; }

    /// <summary>The setting that switched it off, e.g. "Outbox:Enabled=false".</summary>
    protected abstract string OffReason { get; }

    protected abstract Task RunRoundAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval is not { } interval)
        {
            logger.LogInformation("{Worker}: off ({Setting}).", Name, OffReason);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await RunRoundAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogError(e, "{Worker}: the round failed; trying again in {Interval}.", Name, interval);
            }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
