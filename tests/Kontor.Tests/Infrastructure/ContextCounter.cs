using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kontor.Tests.Infrastructure;

/// <summary>Commands executed and rows read by one DbContext instance (EF's diagnostic events, filtered by context).</summary>
public sealed class ContextCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly DbContext context;
    private readonly List<IDisposable> subscriptions = [];
    public int Commands;
    public int RowsRead;
    /// <summary>SaveChanges calls that reached EF (each counted once, however many subscriptions deliver it).</summary>
    public int Saves;
    private HashSet<object> SaveEvents { get; } = new(ReferenceEqualityComparer.Instance);
    public List<string> CommandTexts { get; } = [];

    public ContextCounter(DbContext context)
    {
        this.context = context;
        subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name) lock (subscriptions) subscriptions.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Key == RelationalEventId.CommandExecuted.Name && e.Value is CommandExecutedEventData executed && ReferenceEquals(executed.Context, context))
        {
            Interlocked.Increment(ref Commands);
            lock (CommandTexts) CommandTexts.Add(executed.Command.CommandText);
        }
        else if (e.Key == CoreEventId.SaveChangesStarting.Name && e.Value is DbContextEventData saved && ReferenceEquals(saved.Context, context))
            lock (SaveEvents) if (SaveEvents.Add(saved)) Saves++;
        else if (e.Key == RelationalEventId.DataReaderDisposing.Name && e.Value is DataReaderDisposingEventData reader && ReferenceEquals(reader.Context, context))
            Interlocked.Add(ref RowsRead, reader.ReadCount);
    }

    public void OnCompleted() { }
    public void OnError(Exception error) { }

    public void Dispose()
    {
        lock (subscriptions) foreach (var s in subscriptions) s.Dispose();
    }
}
