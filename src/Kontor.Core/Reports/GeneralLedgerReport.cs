using Kontor.Common;
using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Reports;

/// <param name="Balance">Running balance in the book currency after this line, debit positive.</param>
public sealed record GeneralLedgerLine(DateOnly Date, Guid EntryId, string Description, string SourceType, string? DocumentNumber, Guid? PartyId, string? PartyName,
    string Currency, decimal Debit, decimal Credit, decimal BaseDebit, decimal BaseCredit, decimal Balance);

/// <summary>
/// Konto księgi głównej for a period: the balance brought forward, every line in posting order with the document
/// currency amounts and the book-currency amounts, and the closing balance. Balances are in the book currency and
/// signed debit-positive (a credit balance is negative).
/// </summary>
public sealed record GeneralLedger(string AccountCode, string AccountName, DateOnly From, DateOnly To, string BaseCurrency,
    decimal OpeningBalance, IReadOnlyList<GeneralLedgerLine> Lines, decimal TotalDebit, decimal TotalCredit, decimal ClosingBalance);

public sealed class GeneralLedgerQuery(KontorDbContext db, ReferenceData referenceData)
{
    /// <summary>More lines than this for one account and period is a request for an export of the journal, not a report.</summary>
    public const int MaxLines = 100_000;

    public async Task<GeneralLedger> GetAsync(string? accountCode, DateOnly? from, DateOnly? to, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var reference = await referenceData.GetAsync(ct);
        errors.Require(!string.IsNullOrWhiteSpace(accountCode), "account", "account is required.");
        Account? account = null;
        if (!string.IsNullOrWhiteSpace(accountCode) && !reference.Accounts.TryGetValue(accountCode, out account))
            errors.Add("account", $"Account {accountCode} is not in the chart of accounts.");
        errors.Require(from is not null, "from", "from is required.");
        errors.Require(to is not null, "to", "to is required.");
        if (from is not null && to is not null) errors.Require(from <= to, "to", "to must not be before from.");
        errors.ThrowIfAny();
        var code = account!.Code;
        var start = from!.Value;
        var end = to!.Value;

        var opening = await db.JournalLines.AsNoTracking()
            .Where(l => l.AccountCode == code && l.Date < start)
            .GroupBy(l => 1)
            .Select(g => new { Debit = g.Sum(l => l.BaseDebit), Credit = g.Sum(l => l.BaseCredit) })
            .FirstOrDefaultAsync(ct);
        var openingBalance = (opening?.Debit ?? 0) - (opening?.Credit ?? 0);

        var rows = await (
                from l in db.JournalLines.AsNoTracking()
                join e in db.JournalEntries.AsNoTracking() on l.EntryId equals e.Id
                where l.AccountCode == code && l.Date >= start && l.Date <= end
                orderby l.Date, e.PostedAt, e.Id, l.Id
                select new { l.Date, e.Id, e.Description, e.SourceType, e.SourceNumber, l.PartyId, l.Currency, l.Debit, l.Credit, l.BaseDebit, l.BaseCredit })
            .Take(MaxLines + 1)
            .ToListAsync(ct);
        if (rows.Count > MaxLines)
            throw new ValidationException("from", $"The period has more than {MaxLines:#,0} lines on account {code}; choose a shorter period or export the journal.");

        var partyIds = rows.Where(r => r.PartyId is not null).Select(r => r.PartyId!.Value).Distinct().ToList();
        var names = partyIds.Count == 0 ? [] : await db.Parties.AsNoTracking().Where(p => partyIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var balance = openingBalance;
        var lines = new List<GeneralLedgerLine>(rows.Count);
        foreach (var r in rows)
        {
            balance += r.BaseDebit - r.BaseCredit;
            lines.Add(new GeneralLedgerLine(r.Date, r.Id, r.Description, r.SourceType, r.SourceNumber, r.PartyId,
                r.PartyId is { } p ? names.GetValueOrDefault(p) : null, r.Currency, r.Debit, r.Credit, r.BaseDebit, r.BaseCredit, balance));
        }
        return new GeneralLedger(code, account.Name, start, end, reference.Company?.BaseCurrency ?? "PLN", openingBalance, lines,
            lines.Sum(l => l.BaseDebit), lines.Sum(l => l.BaseCredit), balance);
    }
}
