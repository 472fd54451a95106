using Kontor.Commerce;

namespace Kontor.Web.Hosting;

/// <summary>
/// The shop ingestion queue lives with the host: created at start (so its length gauge reports 0 from the first scrape,
/// not "no data" until the first delivery); closed the moment the host is asked to stop, so deliveries arriving while it
/// stops are answered 503 instead of being taken and cut off; and drained in <see cref="StopAsync"/> — while the services
/// still exist for the consumer's scopes — so the deliveries already queued are written (decision 50).
/// </summary>
public sealed class ShopOrderQueueLifetime(ShopOrderQueue queue, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(queue.Close);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => queue.CloseAsync(cancellationToken);
}
