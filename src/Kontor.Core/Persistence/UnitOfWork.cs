using Microsoft.EntityFrameworkCore;

namespace Kontor.Persistence;

/// <summary>
/// One business operation = one database transaction. SQLite allows a single writer per file; taking
/// an in-process gate before BEGIN lets writers queue cheaply instead of spinning on SQLITE_BUSY.
/// PostgreSQL needs no gate: row locks (numbering counters, open items) order the writers.
/// </summary>
public sealed class UnitOfWork(KontorDbContext db, WriteGate gate)
{
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            // Nested call (e.g. a service calling another service): join the outer unit of work.
            return await work(ct);
        }
        using var _ = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var result = await work(ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return result;
        }
        catch
        {
            // Leave nothing half-written in the context either: the next operation starts clean.
            db.ChangeTracker.Clear();
            throw;
        }
    }
}

public sealed class WriteGate(bool serialize)
{
    private readonly SemaphoreSlim semaphore = new(1, 1);

    public async ValueTask<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (!serialize) return NoGate.Instance;
        await semaphore.WaitAsync(ct);
        return new Release(semaphore);
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) semaphore.Release();
        }
    }

    private sealed class NoGate : IDisposable
    {
        public static readonly NoGate Instance = new();
        public void Dispose() { }
    }
}
