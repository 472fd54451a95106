using Kontor.Company;
using Kontor.Recurring;

namespace Kontor.Web.Hosting;

/// <summary>
/// Runs <see cref="RecurringInvoiceJob"/> for today every <c>Recurring:IntervalSeconds</c> (default 60) unless
/// <c>Recurring:Enabled</c> is false. Every node may run it: the job itself makes sure each period is invoiced
/// once (docs/decisions.md, "Recurring invoices"). A failing round is logged and the next one tries again.
/// </summary>
public sealed class RecurringInvoiceWorker(
    RecurringInvoiceJob job,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    ILogger<RecurringInvoiceWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Recurring:Enabled", true))
        {
            logger.LogInformation("Recurring invoices: the background job is disabled (Recurring:Enabled=false).");
            return;
        }
        var interval = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Recurring:IntervalSeconds", 60)));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                DateOnly today;
                await using (var scope = scopes.CreateAsyncScope())
                    today = scope.ServiceProvider.GetRequiredService<BusinessCalendar>().Today();
                await job.RunDueAsync(today, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be briefly unreachable; the worker must outlive it.
                logger.LogError(e, "Recurring invoices: the round failed; trying again in {Interval}.", interval);
            }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
