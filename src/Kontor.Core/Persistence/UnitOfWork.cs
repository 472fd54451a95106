using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Persistence;

/// <summary>
/// One business operation = one database transaction. SQLite allows a single writer per file; taking
/// an in-process gate before BEGIN lets writers queue cheaply instead of spinning on SQLITE_BUSY.
/// PostgreSQL needs no gate: row locks (numbering counters, open items) order the writers.
/// </summary>
public sealed class UnitOfWork(KontorDbContext db, WriteGate gate, IServiceProvider services)
{
    // Resolved on first use: participants may depend on services that themselves take a UnitOfWork.
    private IUnitOfWorkParticipant[]? participants;
    private IUnitOfWorkParticipant[] Participants => participants ??= services.GetServices<IUnitOfWorkParticipant>().ToArray();

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
            // Participants write what the whole unit of work implies (e.g. one stock message per product however many
            // lines touched it) once, inside the transaction, after the work and before its changes are saved.
            foreach (var participant in Participants) await participant.BeforeCommitAsync(ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return result;
        }
        catch
        {
            // Leave nothing half-written in the context either: the next operation starts clean.
            db.ChangeTracker.Clear();
            foreach (var participant in Participants) participant.RolledBack();
            throw;
        }
    }
}

/// <summary>
/// A scoped service that collects facts during a unit of work and writes their consequences once before it commits
/// (<see cref="BeforeCommitAsync"/> runs inside the transaction, only for the outermost unit of work). It must do
/// nothing — no query — when it collected nothing, since every unit of work calls it.
/// </summary>
public interface IUnitOfWorkParticipant
{
    Task BeforeCommitAsync(CancellationToken ct);
    /// <summary>The transaction was rolled back: forget what was collected.</summary>
    void RolledBack();
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
