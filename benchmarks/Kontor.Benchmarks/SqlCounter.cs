using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kontor.Benchmarks;

/// <summary>
/// Counts and times what EF sends to the database (commands, connection opens, transactions) for
/// --profile, so a run shows how many round trips an invoice costs and how much of its time they take.
/// </summary>
public sealed class SqlCounter
{
    private long commands, opens, transactions, commandTicks, openTicks, commitTicks;
    public long Commands => Interlocked.Read(ref commands);
    public long Opens => Interlocked.Read(ref opens);
    public long Transactions => Interlocked.Read(ref transactions);
    public TimeSpan CommandTime => TimeSpan.FromTicks(Interlocked.Read(ref commandTicks));
    public TimeSpan OpenTime => TimeSpan.FromTicks(Interlocked.Read(ref openTicks));
    public TimeSpan CommitTime => TimeSpan.FromTicks(Interlocked.Read(ref commitTicks));
    public ConcurrentDictionary<string, (long Count, long Ticks)> ByText { get; } = new();

    public void Reset()
    {
        Interlocked.Exchange(ref commands, 0);
        Interlocked.Exchange(ref opens, 0);
        Interlocked.Exchange(ref transactions, 0);
        Interlocked.Exchange(ref commandTicks, 0);
        Interlocked.Exchange(ref openTicks, 0);
        Interlocked.Exchange(ref commitTicks, 0);
        ByText.Clear();
    }

    public IInterceptor[] Interceptors() => [new CommandCounter(this), new ConnectionCounter(this), new TransactionCounter(this)];

    private void Executed(DbCommand command, TimeSpan duration)
    {
        Interlocked.Increment(ref commands);
        Interlocked.Add(ref commandTicks, duration.Ticks);
        var text = command.CommandText.ReplaceLineEndings(" ");
        var key = text.Length > 150 ? text[..150] : text;
        ByText.AddOrUpdate(key, (1, duration.Ticks), (_, v) => (v.Count + 1, v.Ticks + duration.Ticks));
    }

    private sealed class CommandCounter(SqlCounter counter) : DbCommandInterceptor
    {
        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken ct = default)
        { counter.Executed(command, eventData.Duration); return ValueTask.FromResult(result); }
        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken ct = default)
        { counter.Executed(command, eventData.Duration); return ValueTask.FromResult(result); }
        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken ct = default)
        { counter.Executed(command, eventData.Duration); return ValueTask.FromResult(result); }
        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        { counter.Executed(command, eventData.Duration); return result; }
        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        { counter.Executed(command, eventData.Duration); return result; }
    }

    private sealed class ConnectionCounter(SqlCounter counter) : DbConnectionInterceptor
    {
        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        { Opened(eventData); return Task.CompletedTask; }
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Opened(eventData);
        // Registered after the provider's own interceptors, so the duration includes per-open PRAGMAs.
        private void Opened(ConnectionEndEventData eventData)
        {
            Interlocked.Increment(ref counter.opens);
            Interlocked.Add(ref counter.openTicks, eventData.Duration.Ticks);
        }
    }

    private sealed class TransactionCounter(SqlCounter counter) : DbTransactionInterceptor
    {
        public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken ct = default)
        { Interlocked.Increment(ref counter.transactions); return ValueTask.FromResult(result); }
        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
        { Interlocked.Add(ref counter.commitTicks, eventData.Duration.Ticks); return Task.CompletedTask; }
    }
}
