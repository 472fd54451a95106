using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kontor.Benchmarks;

/// <summary>Counts what EF sends to the database (commands, connection opens, transactions) for --profile.</summary>
public sealed class SqlCounter
{
    private long commands, opens, transactions;
    public long Commands => Interlocked.Read(ref commands);
    public long Opens => Interlocked.Read(ref opens);
    public long Transactions => Interlocked.Read(ref transactions);
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> ByText { get; } = new();

    public void Reset()
    {
        Interlocked.Exchange(ref commands, 0);
        Interlocked.Exchange(ref opens, 0);
        Interlocked.Exchange(ref transactions, 0);
        ByText.Clear();
    }

    public IInterceptor[] Interceptors() => [new Commands(this), new Connections(this), new Transactions(this)];

    private void Command(DbCommand command)
    {
        Interlocked.Increment(ref commands);
        var text = command.CommandText.ReplaceLineEndings(" ");
        ByText.AddOrUpdate(text.Length > 160 ? text[..160] : text, 1, (_, n) => n + 1);
    }

    private sealed class Commands(SqlCounter counter) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
        { counter.Command(command); return ValueTask.FromResult(result); }
        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        { counter.Command(command); return ValueTask.FromResult(result); }
        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken ct = default)
        { counter.Command(command); return ValueTask.FromResult(result); }
        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        { counter.Command(command); return result; }
        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        { counter.Command(command); return result; }
    }

    private sealed class Connections(SqlCounter counter) : DbConnectionInterceptor
    {
        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        { Interlocked.Increment(ref counter.opens); return Task.CompletedTask; }
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
            => Interlocked.Increment(ref counter.opens);
    }

    private sealed class Transactions(SqlCounter counter) : DbTransactionInterceptor
    {
        public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken ct = default)
        { Interlocked.Increment(ref counter.transactions); return ValueTask.FromResult(result); }
    }
}
