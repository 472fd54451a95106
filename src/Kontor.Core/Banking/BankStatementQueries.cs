using Kontor.Common;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Banking;

public sealed record BankStatementListItem(
    Guid Id, Guid BankAccountId, string BankAccountIban, string BankAccountName, string StatementId, string StatementNumber, string Currency,
    DateOnly OpeningDate, decimal OpeningBalance, DateOnly ClosingDate, decimal ClosingBalance, decimal TotalCredits, decimal TotalDebits,
    int LineCount, StatementFormat Format, string FileName, DateTimeOffset ImportedAt, string ImportedBy);

public sealed record BankStatementDetail(BankStatementListItem Statement, IReadOnlyList<BankStatementLine> Lines);

/// <summary>Reading imported statements (policy ReadBooks).</summary>
public sealed class BankStatementQueries(KontorDbContext db)
{
    public const int MaxTake = 500;

    public async Task<IReadOnlyList<BankStatementListItem>> ListAsync(Guid? bankAccountId = null, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var query = db.BankStatements.AsNoTracking();
        if (bankAccountId is { } account) query = query.Where(s => s.BankAccountId == account);
        return await Project(query.OrderByDescending(s => s.ClosingDate).ThenByDescending(s => s.ImportedAt).ThenBy(s => s.Id)
                .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxTake)))
            .ToListAsync(ct);
    }

    public async Task<BankStatementDetail> GetAsync(Guid id, CancellationToken ct = default)
    {
        var item = await Project(db.BankStatements.AsNoTracking().Where(s => s.Id == id)).FirstOrDefaultAsync(ct)
                   ?? throw new NotFoundException("Bank statement", id);
        var lines = await db.BankStatementLines.AsNoTracking().Where(l => l.StatementId == id).OrderBy(l => l.Position).ToListAsync(ct);
        return new BankStatementDetail(item, lines);
    }

    private IQueryable<BankStatementListItem> Project(IQueryable<BankStatement> statements) =>
        from s in statements
        join a in db.CompanyBankAccounts on s.BankAccountId equals a.Id into accounts
        from a in accounts.DefaultIfEmpty()
        select new BankStatementListItem(s.Id, s.BankAccountId, a != null ? a.Iban : s.AccountIdentifier, a != null ? a.Name : "", s.StatementId, s.StatementNumber,
            s.Currency, s.OpeningDate, s.OpeningBalance, s.ClosingDate, s.ClosingBalance, s.TotalCredits, s.TotalDebits, s.LineCount, s.Format,
            s.FileName, s.ImportedAt, s.ImportedBy);
}
