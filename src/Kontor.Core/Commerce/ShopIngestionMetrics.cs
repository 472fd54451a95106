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

    /// <summary>Every webhook delivery the receiver answered, by channel type and outcome (<see cref="Outcome(IngestOutcome)"/>, bad_signature, …).</summary>
    public const string Deliveries = "kontor.shop.webhook.deliveries";
    /// <summary>Deliveries taken together in one batch of the queue.</summary>
    public const string BatchSize = "kontor.shop.ingestion.batch.size";
    /// <summary>Wall time the queue's one consumer spent on a batch, from taking it to the last delivery's answer.</summary>
    public const string BatchDuration = "kontor.shop.ingestion.batch.duration";
    /// <summary>Orders of a batch created in its one shared transaction (the rest went one delivery at a time).</summary>
    public const string CreatedTogether = "kontor.shop.ingestion.created_together";
    /// <summary>Time a delivery waited in the queue before its batch was taken.</summary>
    public const string QueueWait = "kontor.shop.ingestion.queue.wait";
    /// <summary>Deliveries waiting in the queue now (not counting the batch being written); at Commerce:Ingestion:MaxQueued the next is refused.</summary>
    public const string QueueLength = "kontor.shop.ingestion.queue.length";

    /// <summary>Outcome tag of a delivery refused with 503 because the queue was full or the process was shutting down.</summary>
    public const string Busy = "busy";

    /// <summary>Orders the catch-up pull fetched, by channel type and outcome (created, updated, unchanged, held, rejected).</summary>
    public const string PulledOrders = "kontor.shop.pull.orders";
    /// <summary>Catch-up pulls, by channel type and result (succeeded, failed).</summary>
    public const string Pulls = "kontor.shop.pulls";
    /// <summary>Tag of <see cref="Pulls"/>.</summary>
    public const string PullResultTag = "kontor.pull.result";

    private readonly Counter<long> deliveries;
    private readonly Counter<long> pulledOrders;
    private readonly Counter<long> pulls;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> batchDuration;
    private readonly Counter<long> createdTogether;
    private readonly Histogram<double> queueWait;
    private readonly Meter meter;

    public ShopIngestionMetrics(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        deliveries = meter.CreateCounter<long>(Deliveries, "{delivery}", "Webhook deliveries answered, by channel type and outcome");
        batchSize = meter.CreateHistogram<int>(BatchSize, "{delivery}", "Deliveries taken together in one batch",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 500] });
        // Seconds, so the exporters' default (millisecond-sized) buckets would put every sample in the first one: the boundaries of
        // .NET's own http.server.request.duration.
        batchDuration = meter.CreateHistogram<double>(BatchDuration, "s", "Time the ingestion consumer spent on one batch",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        pulledOrders = meter.CreateCounter<long>(PulledOrders, "{order}", "Orders the catch-up pull fetched, by channel type and outcome");
        pulls = meter.CreateCounter<long>(Pulls, "{pull}", "Catch-up pulls, by channel type and result");
        createdTogether = meter.CreateCounter<long>(CreatedTogether, "{order}", "Orders created in their batch's shared transaction");
        queueWait = meter.CreateHistogram<double>(QueueWait, "s", "Time a delivery waited for its batch to be taken",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    }

    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>Tag of <see cref="Deliveries"/>: the channel's type, lower case.</summary>
    public const string ChannelTypeTag = "kontor.channel.type";
    /// <summary>Tag of <see cref="Deliveries"/>: what became of the delivery.</summary>
    public const string OutcomeTag = "kontor.webhook.outcome";

    /// <summary>The outcome tag of an ingested delivery.</summary>
    public static string Outcome(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Created => "created",
        IngestOutcome.Duplicate => "duplicate",
        IngestOutcome.Updated => "updated",
        IngestOutcome.Stale => "stale",
        IngestOutcome.Held => "held",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public void Answered(ChannelType type, string outcome) =>
        deliveries.Add(1, new KeyValuePair<string, object?>(ChannelTypeTag, TypeTag(type)), new KeyValuePair<string, object?>(OutcomeTag, outcome));

    /// <summary>One catch-up pull: its orders by outcome (zero counts are not recorded) and whether it succeeded.</summary>
    public void Pulled(ChannelType type, bool succeeded, int created, int updated, int unchanged, int held, int rejected)
    {
        var typeTag = new KeyValuePair<string, object?>(ChannelTypeTag, TypeTag(type));
        foreach (var (outcome, count) in new[] { ("created", created), ("updated", updated), ("unchanged", unchanged), ("held", held), ("rejected", rejected) })
            if (count > 0) pulledOrders.Add(count, typeTag, new KeyValuePair<string, object?>(OutcomeTag, outcome));
        pulls.Add(1, typeTag, new KeyValuePair<string, object?>(PullResultTag, succeeded ? "succeeded" : "failed"));
    }

    private static string TypeTag(ChannelType type) => type switch
    {
        ChannelType.WooCommerce => "woocommerce",
        ChannelType.Shopify => "shopify",
        ChannelType.Generic => "generic",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Publishes the queue's length, read whenever a listener collects (the one queue of the process calls this once).</summary>
    public void ObserveQueue(Func<int> length) =>
        meter.CreateObservableGauge(QueueLength, length, "{delivery}", "Webhook deliveries waiting for the ingestion consumer");

    public void Waited(TimeSpan wait) => queueWait.Record(wait.TotalSeconds);

    public void BatchDone(int size, int together, TimeSpan duration)
    {
        batchSize.Record(size);
        batchDuration.Record(duration.TotalSeconds);
        if (together > 0) createdTogether.Add(together);
    }
}
