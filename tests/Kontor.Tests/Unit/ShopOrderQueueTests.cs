using Kontor.Commerce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kontor.Tests.Unit;

/// <summary>The queue's own bookkeeping, with its consumer's "database" held by the test (no database needed).</summary>
public sealed class ShopOrderQueueTests
{
    private sealed class Capture : ILogger<ShopOrderQueue>
    {
        public List<string> Warnings { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format)
        {
            if (level == LogLevel.Warning) lock (Warnings) Warnings.Add(format(state, e));
        }
    }

    [Fact]
    public async Task A_sustained_overload_is_one_spell_with_two_warnings_not_two_per_batch()
    {
        using var gate = new SemaphoreSlim(0);
        var taken = 0;
        var services = new ServiceCollection();
        services.AddMetrics();
        // Each batch (of one) is counted as taken, waits for the test to let it go, then fails (its caller gets the failure).
        services.AddScoped<ShopOrderIngestion>(_ => { Interlocked.Increment(ref taken); gate.Wait(); throw new InvalidOperationException("stalled"); });
        await using var provider = services.BuildServiceProvider();
        var log = new Capture();
        var metrics = new ShopIngestionMetrics(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await using var queue = new ShopOrderQueue(provider.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new ShopIngestionOptions { MaxQueued = 4, MaxBatch = 1 }), log, metrics, TimeProvider.System);
        var delivery = new ShopDelivery(new SalesChannel { Type = ChannelType.Shopify }, null!, "");

        // Fill the queue until the first refusal, then ten batches go while the shop keeps sending: each freed slot is
        // taken at once and the next delivery refused again — one overload, not ten.
        async Task UntilTakenAsync(int batches)
        {
            for (var i = 0; i < 1000 && Volatile.Read(ref taken) < batches; i++) await Task.Delay(5);
            Assert.Equal(batches, Volatile.Read(ref taken));
        }
        Assert.Null(queue.TryIngest(delivery, default, out _));
        await UntilTakenAsync(1);
        while (queue.TryIngest(delivery, default, out _) is null) { }
        for (var batch = 0; batch < 10; batch++)
        {
            gate.Release();
            await UntilTakenAsync(batch + 2);
            Assert.Null(queue.TryIngest(delivery, default, out _));
            Assert.NotNull(queue.TryIngest(delivery, default, out _));
        }
        Assert.Equal(["full"], log.Warnings.Select(w => w.Contains("is full", StringComparison.Ordinal) ? "full" : "again"));

        // The consumer catches up: once the queue is down to half, the spell ends with one line and its count.
        gate.Release(100);
        for (var i = 0; i < 500 && queue.TryIngest(delivery, default, out _) is not null; i++) await Task.Delay(10);
        for (var i = 0; i < 500 && log.Warnings.Count < 2; i++)
        {
            await Task.Delay(10);
            queue.TryIngest(delivery, default, out _);
        }
        Assert.Equal(2, log.Warnings.Count);
        Assert.Contains("takes deliveries again", log.Warnings[1]);
    }
}
