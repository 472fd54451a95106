using Kontor.Outbox;
using Microsoft.Extensions.Options;

namespace Kontor.Web.Hosting;

/// <summary>
/// Polls the outbox every <c>Outbox:PollSeconds</c> (default 2) and sends what is due (docs/commerce.md, "Outbox");
/// off with <c>Outbox:Enabled=false</c>. Every node may run it: messages are claimed one by one.
/// </summary>
public sealed class OutboxWorker(OutboxDispatcher dispatcher, IOptions<OutboxOptions> options, ILogger<OutboxWorker> logger) : PeriodicWorker(logger)
{
    protected override string Name => "Outbox";

    protected override TimeSpan? Interval => options.Value.Enabled ? TimeSpan.FromSeconds(Math.Max(0.1, options.Value.PollSeconds)) : null;

    protected override string OffReason => "Outbox:Enabled=false";

    protected override async Task RunRoundAsync(CancellationToken ct)
    {
        // A full batch means more may be waiting: go again at once.
        while (await dispatcher.DispatchDueAsync(ct) >= options.Value.BatchSize) { }
    }
}
