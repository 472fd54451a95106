using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kontor.Tests.Infrastructure;

/// <summary>Commands executed and rows read by one DbContext instance (EF's diagnostic events, filtered by context).</summary>
public sealed class ContextCounter : EfDiagnosticsObserver
{
    private readonly DbContext context;
    public int Commands;
    public int RowsRead;
    /// <summary>SaveChanges calls that reached EF (each counted once, however many subscriptions deliver it).</summary>
    public int Saves;
    private HashSet<object> SaveEvents { get; } = new(ReferenceEqualityComparer.Instance);
    public List<string> CommandTexts { get; } = [];

    public ContextCounter(DbContext context) => this.context = context;

    public override void OnNext(KeyValuePair<string, object?> e)
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
}
