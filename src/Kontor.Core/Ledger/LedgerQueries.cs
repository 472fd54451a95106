using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Ledger;

/// <summary>An account's turnover in one document currency, and the same turnover in the book currency.</summary>
public sealed record TrialBalanceRow(string AccountCode, string AccountName, string Currency, decimal Debit, decimal Credit, decimal BaseDebit, decimal BaseCredit)
{
    public decimal BalanceDebit => Debit > Credit ? Debit - Credit : 0;
    public decimal BalanceCredit => Credit > Debit ? Credit - Debit : 0;
}

/// <summary>An account's turnover over every currency, in the book currency: the statutory trial balance (zestawienie obrotów i sald).</summary>
public sealed record BookTrialBalanceRow(string AccountCode, string AccountName, decimal Debit, decimal Credit)
{
    public decimal BalanceDebit => Debit > Credit ? Debit - Credit : 0;
    public decimal BalanceCredit => Credit > Debit ? Credit - Debit : 0;
}

public sealed record TrialBalance(DateOnly AsOf, string BaseCurrency, IReadOnlyList<TrialBalanceRow> Rows)
{
    /// <summary>Totals per document currency; in a healthy ledger debit equals credit in each.</summary>
    public IReadOnlyList<(string Currency, decimal Debit, decimal Credit)> Totals =>
        Rows.GroupBy(r => r.Currency).Select(g => (g.Key, g.Sum(r => r.Debit), g.Sum(r => r.Credit))).OrderBy(t => t.Key).ToList();

    /// <summary>Per account in <see cref="BaseCurrency"/>, all currencies together.</summary>
    public IReadOnlyList<BookTrialBalanceRow> BookRows =>
        Rows.GroupBy(r => (r.AccountCode, r.AccountName))
            .Select(g => new BookTrialBalanceRow(g.Key.AccountCode, g.Key.AccountName, g.Sum(r => r.BaseDebit), g.Sum(r => r.BaseCredit)))
            .ToList();

    public (decimal Debit, decimal Credit) BookTotal => (Rows.Sum(r => r.BaseDebit), Rows.Sum(r => r.BaseCredit));

    /// <summary>Balanced in every document currency and in the book currency.</summary>
    public bool IsBalanced => Totals.All(t => t.Debit == t.Credit) && BookTotal.Debit == BookTotal.Credit;
}

public sealed class LedgerQueries(KontorDbContext db, ReferenceData referenceData)
{
    public async Task<IReadOnlyList<JournalEntry>> EntriesAsync(Guid? documentId, DateOnly? from, DateOnly? to, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var query = db.JournalEntries.AsNoTracking().Include(e => e.Lines).AsQueryable();
        if (documentId is not null) query = query.Where(e => e.SourceId == documentId);
        if (from is not null) query = query.Where(e => e.Date >= from);
        if (to is not null) query = query.Where(e => e.Date <= to);
        return await query.OrderBy(e => e.Date).ThenBy(e => e.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 1000)).AsSplitQuery().ToListAsync(ct);
    }

    /// <summary>Sums of every account up to and including <paramref name="asOf"/>, computed in the database.</summary>
    public async Task<TrialBalance> TrialBalanceAsync(DateOnly asOf, CancellationToken ct = default)
    {
        var baseCurrency = (await referenceData.GetAsync(ct)).Company?.BaseCurrency ?? "PLN";
        var sums = await db.JournalLines.AsNoTracking()
            .Where(l => l.Date <= asOf)
            .GroupBy(l => new { l.AccountCode, l.Currency })
            .Select(g => new
            {
                g.Key.AccountCode, g.Key.Currency, Debit = g.Sum(l => l.Debit), Credit = g.Sum(l => l.Credit),
                BaseDebit = g.Sum(l => l.BaseDebit), BaseCredit = g.Sum(l => l.BaseCredit),
            })
            .ToListAsync(ct);
        var names = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Code, a => a.Name, ct);
        var rows = sums
            .Select(s => new TrialBalanceRow(s.AccountCode, names.GetValueOrDefault(s.AccountCode, ""), s.Currency, s.Debit, s.Credit, s.BaseDebit, s.BaseCredit))
            .OrderBy(r => r.AccountCode, StringComparer.Ordinal).ThenBy(r => r.Currency)
            .ToList();
        return new TrialBalance(asOf, baseCurrency, rows);
    }

    public async Task<IReadOnlyList<Account>> AccountsAsync(CancellationToken ct = default) =>
        await db.Accounts.AsNoTracking().OrderBy(a => a.Code).ToListAsync(ct);
}
