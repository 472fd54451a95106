using System.Diagnostics.Metrics;
using Kontor.Commerce;

namespace Kontor.Tests.Commerce;

/// <summary>The <see cref="ShopIngestionMetrics"/> of one host (its meter factory), recorded while the test runs.</summary>
internal sealed class IngestionMetricsOf : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly Dictionary<(string Type, string Outcome), long> deliveries = [];
    private int queueLength = -1;
    public List<int> Sizes { get; } = [];
    public List<double> Durations { get; } = [];
    public List<double> Waits { get; } = [];

    public IngestionMetricsOf(IMeterFactory host)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ShopIngestionMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, host)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var (type, outcome) = ("", "");
            foreach (var tag in tags)
            {
                if (tag.Key == ShopIngestionMetrics.ChannelTypeTag) type = (string)tag.Value!;
                if (tag.Key == ShopIngestionMetrics.OutcomeTag) outcome = (string)tag.Value!;
            }
            lock (this)
            {
                if (instrument.Name == ShopIngestionMetrics.Deliveries) deliveries[(type, outcome)] = deliveries.GetValueOrDefault((type, outcome)) + value;
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            lock (this)
            {
                if (instrument.Name == ShopIngestionMetrics.BatchSize) Sizes.Add(value);
                if (instrument.Name == ShopIngestionMetrics.QueueLength) queueLength = value;
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            lock (this) (instrument.Name == ShopIngestionMetrics.BatchDuration ? Durations : instrument.Name == ShopIngestionMetrics.QueueWait ? Waits : []).Add(value);
        });
        listener.Start();
    }

    public int SizesSum()
    {
        lock (this) return Sizes.Sum();
    }

    public int WaitCount()
    {
        lock (this) return Waits.Count;
    }

    /// <summary>The queue's length gauge, read now (-1: the host's queue has not published it).</summary>
    public int QueueLength()
    {
        listener.RecordObservableInstruments();
        lock (this) return queueLength;
    }

    public Dictionary<string, long> Deliveries(string channelType)
    {
        lock (this) return deliveries.Where(d => d.Key.Type == channelType).ToDictionary(d => d.Key.Outcome, d => d.Value);
    }

    public void Dispose() => listener.Dispose();
}
