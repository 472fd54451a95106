using System.Globalization;
using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Ledger;

public enum PeriodStatus { Open, Closed }

/// <summary>
/// A month of the books. A row exists once something was posted into the month or it was closed; a month
/// without a row is open. Closing locks posting into the month (docs/decisions.md §19).
/// </summary>
public sealed class AccountingPeriod
{
    public int Year { get; init; }
    public int Month { get; init; }
    public PeriodStatus Status { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }

    public string Key => Name(Year, Month);

    public static string Name(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}");
}

public sealed record PeriodView(int Year, int Month, PeriodStatus Status, DateTimeOffset? ClosedAt, string? ClosedBy)
{
    public string Key => AccountingPeriod.Name(Year, Month);
}

/// <summary>Opens and closes months; <see cref="Journal"/> asks it before every posting.</summary>
public sealed class AccountingPeriods(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock, ICurrentActor actor)
{
    /// <summary>The twelve months of <paramref name="year"/> with their state.</summary>
    public async Task<IReadOnlyList<PeriodView>> YearAsync(int year, CancellationToken ct = default)
    {
        CheckYear(year);
        var rows = await db.AccountingPeriods.AsNoTracking().Where(p => p.Year == year).ToDictionaryAsync(p => p.Month, ct);
        return Enumerable.Range(1, 12)
            .Select(m => rows.TryGetValue(m, out var p) ? new PeriodView(year, m, p.Status, p.ClosedAt, p.ClosedBy) : new PeriodView(year, m, PeriodStatus.Open, null, null))
            .ToList();
    }

    /// <summary>
    /// Closes a month. Earlier months must be closed first, so the books are closed in order and a closed month
    /// never has an open month before it that could still change its opening balances.
    /// </summary>
    public Task<PeriodView> CloseAsync(int year, int month, CancellationToken ct = default) =>
        unitOfWork.ExecuteAsync(async token =>
        {
            CheckMonth(year, month);
            var period = await LockAsync(year, month, token);
            if (period.Status == PeriodStatus.Closed) throw new ConflictException($"The period {period.Key} is already closed.");
            var firstPosting = await db.JournalEntries.MinAsync(e => (DateOnly?)e.Date, token);
            var start = new DateOnly(year, month, 1);
            if (firstPosting is { } first && first < start)
            {
                var previous = start.AddMonths(-1);
                var earlierOpen = await EarliestOpenAsync(new DateOnly(first.Year, first.Month, 1), previous, token);
                if (earlierOpen is not null)
                    throw new ConflictException($"Close {earlierOpen} first: months are closed in order.");
            }
            period.Status = PeriodStatus.Closed;
            period.ClosedAt = clock.GetUtcNow();
            period.ClosedBy = actor.Name;
            // What the month holds as it closes; final, because postings in flight committed before the lock was ours.
            var end = start.AddMonths(1);
            var entries = await db.JournalEntries.CountAsync(e => e.Date >= start && e.Date < end, token);
            var turnover = await db.JournalLines.Where(l => l.Date >= start && l.Date < end).SumAsync(l => (decimal?)l.BaseDebit, token) ?? 0m;
            audit.Record("period.closed", nameof(AccountingPeriod), Guid.Empty, new { period = period.Key, entries, turnover });
            return new PeriodView(year, month, period.Status, period.ClosedAt, period.ClosedBy);
        }, ct);

    /// <summary>Reopens a month (Admin only at the API); later months must be open, and the reason is audited.</summary>
    public Task<PeriodView> ReopenAsync(int year, int month, string? reason, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var why = errors.Text(reason, "reason", 500);
        errors.ThrowIfAny();
        return unitOfWork.ExecuteAsync(async token =>
        {
            CheckMonth(year, month);
            var period = await LockAsync(year, month, token);
            if (period.Status == PeriodStatus.Open) throw new ConflictException($"The period {period.Key} is open.");
            var later = await db.AccountingPeriods.AsNoTracking()
                .Where(p => p.Status == PeriodStatus.Closed && (p.Year > year || (p.Year == year && p.Month > month)))
                .OrderBy(p => p.Year).ThenBy(p => p.Month).FirstOrDefaultAsync(token);
            if (later is not null) throw new ConflictException($"Reopen {later.Key} first: a month cannot be open while a later one is closed.");
            period.Status = PeriodStatus.Open;
            period.ClosedAt = null;
            period.ClosedBy = null;
            audit.Record("period.reopened", nameof(AccountingPeriod), Guid.Empty, new { period = period.Key, reason = why });
            return new PeriodView(year, month, period.Status, null, null);
        }, ct);
    }

    /// <summary>
    /// Refuses a posting dated in a closed month. On PostgreSQL the month's row is read FOR SHARE, so a close
    /// (which takes it FOR UPDATE) waits for postings in flight, and a posting that comes after the close sees it.
    /// SQLite's single writer orders the two anyway.
    /// </summary>
    internal async Task EnsureOpenAsync(DateOnly date, CancellationToken ct)
    {
        // A batch posts hundreds of entries into the same month in one transaction: ask the database once.
        var transaction = db.Database.CurrentTransaction;
        if (!ReferenceEquals(transaction, checkedIn)) { checkedIn = transaction; openInTransaction.Clear(); }
        if (transaction is not null && openInTransaction.Contains((date.Year, date.Month))) return;
        var status = await ReadStatusAsync(date.Year, date.Month, forUpdate: false, ct);
        if (status == PeriodStatus.Closed)
            throw new LedgerPostingException($"The period {AccountingPeriod.Name(date.Year, date.Month)} is closed; nothing can be posted dated {date:yyyy-MM-dd}. " +
                                             $"Post into an open period (a correction issued now is dated now and refers to the corrected document).");
        if (transaction is not null) openInTransaction.Add((date.Year, date.Month));
    }

    private Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? checkedIn;
    private readonly HashSet<(int Year, int Month)> openInTransaction = [];

    private async Task<AccountingPeriod> LockAsync(int year, int month, CancellationToken ct)
    {
        await ReadStatusAsync(year, month, forUpdate: true, ct);
        return await db.AccountingPeriods.FirstAsync(p => p.Year == year && p.Month == month, ct);
    }

    private const string SelectStatusSql = """SELECT "Status" AS "Value" FROM "AccountingPeriods" WHERE "Year" = {0} AND "Month" = {1}""";

    private async Task<PeriodStatus> ReadStatusAsync(int year, int month, bool forUpdate, CancellationToken ct)
    {
        // SQLite's single writer needs no row lock; PostgreSQL locks the month's row (see EnsureOpenAsync).
        var sql = !db.Database.IsNpgsql() ? SelectStatusSql : forUpdate ? SelectStatusSql + " FOR UPDATE" : SelectStatusSql + " FOR SHARE";
        Task<List<string>> Select() => db.Database.SqlQueryRaw<string>(sql, year, month).ToListAsync(ct);
        var statuses = await Select();
        if (statuses.Count == 0)
        {
            // The month's first posting or close creates its row, so there is always something to lock.
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "AccountingPeriods" ("Year", "Month", "Status") VALUES ({year}, {month}, 'Open') ON CONFLICT DO NOTHING""", ct);
            statuses = await Select();
        }
        return Enum.Parse<PeriodStatus>(statuses.Single());
    }

    private async Task<string?> EarliestOpenAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var closed = await db.AccountingPeriods.AsNoTracking().Where(p => p.Status == PeriodStatus.Closed)
            .Select(p => new { p.Year, p.Month }).ToListAsync(ct);
        var set = closed.Select(p => (p.Year, p.Month)).ToHashSet();
        for (var m = from; m <= to; m = m.AddMonths(1))
            if (!set.Contains((m.Year, m.Month))) return AccountingPeriod.Name(m.Year, m.Month);
        return null;
    }

    private static void CheckYear(int year)
    {
        if (year is < 2000 or > 2100) throw new ValidationException("year", "year must be between 2000 and 2100.");
    }

    private static void CheckMonth(int year, int month)
    {
        var errors = new ValidationErrors();
        errors.Require(year is >= 2000 and <= 2100, "year", "year must be between 2000 and 2100.");
        errors.Require(month is >= 1 and <= 12, "month", "month must be between 1 and 12.");
        errors.ThrowIfAny();
    }
}
