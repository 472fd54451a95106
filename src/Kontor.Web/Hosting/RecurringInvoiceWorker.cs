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
    ILogger<RecurringInvoiceWorker> logger) : PeriodicWorker(logger)
{
    protected override string Name => "Recurring invoices";

    protected override TimeSpan? Interval => configuration.GetValue("Recurring:Enabled", true)
        ? TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Recurring:IntervalSeconds", 60)))
        : null;

    protected override string OffReason => "Recurring:Enabled=false";

    protected override async Task RunRoundAsync(CancellationToken ct)
    {
        DateOnly today;
        await using (var scope = scopes.CreateAsyncScope())
            today = scope.ServiceProvider.GetRequiredService<BusinessCalendar>().Today();
        await job.RunDueAsync(today, ct);
    }
}
