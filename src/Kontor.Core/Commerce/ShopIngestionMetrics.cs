using System.Diagnostics.Metrics;

namespace Kontor.Commerce;

/// <summary>
/// What webhook ingestion is doing, as .NET metrics on the meter <c>Kontor.Commerce</c> (docs/commerce.md "Metrics"): readable
/// with <c>dotnet-counters monitor --counters Kontor.Commerce</c> or any OpenTelemetry exporter, and by benchmark W1. The
/// queue's figures say where a webhook's time goes: waiting behind the batch being written, or its own batch.
/// </summary>
public sealed class ShopIngestionMetrics
{
    public const string MeterName = "Kontor.Commerce";

    /// <summary>Every webhook delivery answered, by channel type and outcome (created, updated, duplicate, stale, held, bad-signature, …).</summary>
    public const string Deliveries = "kontor.shop.webhook.deliveries";
    /// <summary>Deliveries taken together in one batch of the queue.</summary>
    public const string BatchSize = "kontor.shop.ingestion.batch.size";
    /// <summary>Wall time the queue's one consumer spent on a batch, from taking it to the last delivery's answer.</summary>
    public const string BatchDuration = "kontor.shop.ingestion.batch.duration";
    /// <summary>Orders of a batch created in its one shared transaction (the rest went one delivery at a time).</summary>
    public const string CreatedTogether = "kontor.shop.ingestion.created_together";
    /// <summary>Time a delivery waited in the queue before its batch was taken.</summary>
    public const string QueueWait = "kontor.shop.ingestion.queue.wait";

    private readonly Counter<long> deliveries;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> batchDuration;
    private readonly Counter<long> createdTogether;
    private readonly Histogram<double> queueWait;

    public ShopIngestionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        deliveries = meter.CreateCounter<long>(Deliveries, "{delivery}", "Webhook deliveries answered, by channel type and outcome");
        batchSize = meter.CreateHistogram<int>(BatchSize, "{delivery}", "Deliveries taken together in one batch",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 500] });
        batchDuration = meter.CreateHistogram<double>(BatchDuration, "s", "Time the ingestion consumer spent on one batch");
        createdTogether = meter.CreateCounter<long>(CreatedTogether, "{order}", "Orders created in their batch's shared transaction");
        queueWait = meter.CreateHistogram<double>(QueueWait, "s", "Time a delivery waited for its batch to be taken");
    }

    public void Answered(ChannelType type, string outcome) =>
        deliveries.Add(1, new KeyValuePair<string, object?>("channel.type", type.ToString()), new KeyValuePair<string, object?>("outcome", outcome));

    public void Waited(TimeSpan wait) => queueWait.Record(wait.TotalSeconds);

    public void BatchDone(int size, int together, TimeSpan duration)
    {
        batchSize.Record(size);
        batchDuration.Record(duration.TotalSeconds);
        if (together > 0) createdTogether.Add(together);
    }
}
