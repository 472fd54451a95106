using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Reports;

public sealed record StatementAccount(string Code, string Name, decimal Amount);

/// <param name="Amount">In the book currency, signed as the line reads: a cost line shows costs positive, a revenue or liabilities line credits positive.</param>
public sealed record StatementLine(string Key, string Label, int Level, decimal Amount, bool IsSubtotal, IReadOnlyList<StatementAccount> Accounts);

/// <param name="NetResult">Σ (credit − debit) over every revenue and expense account: what the year-end close moves to 860.</param>
/// <param name="Unmapped">Accounts that no rule of the template reaches (they went to the "other" line of their type).</param>
public sealed record ProfitAndLoss(DateOnly From, DateOnly To, string BaseCurrency, IReadOnlyList<StatementLine> Lines, decimal NetResult, IReadOnlyList<string> Unmapped);

public sealed record BalanceSheet(DateOnly AsOf, string BaseCurrency, IReadOnlyList<StatementLine> Lines, decimal TotalAssets, decimal TotalLiabilitiesAndEquity,
    decimal CurrentResult, IReadOnlyList<string> Unmapped)
{
    public bool Balances => TotalAssets == TotalLiabilitiesAndEquity;
}

/// <summary>
/// Rachunek zysków i strat and bilans from the journal, in the book currency, through <see cref="StatementTemplates"/>.
/// The database sums the lines per account (and per party for the settlement accounts of the balance sheet); the
/// template only arranges those sums.
/// </summary>
public sealed class FinancialStatementsQuery(KontorDbContext db, ReferenceData referenceData)
{
    public async Task<ProfitAndLoss> ProfitAndLossAsync(DateOnly? from, DateOnly? to, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        errors.Require(from is not null, "from", "from is required.");
        errors.Require(to is not null, "to", "to is required.");
        if (from is not null && to is not null) errors.Require(from <= to, "to", "to must not be before from.");
        errors.ThrowIfAny();
        var reference = await referenceData.GetAsync(ct);
        var resultAccounts = reference.Accounts.Values.Where(a => a.Type is AccountType.Revenue or AccountType.Expense).Select(a => a.Code).ToList();
        var start = from!.Value;
        var end = to!.Value;
        // The year-end close zeroes these accounts; the statement shows the year's activity, so that entry is left out.
        var sums = await db.JournalLines.AsNoTracking()
            .Where(l => l.Date >= start && l.Date <= end && resultAccounts.Contains(l.AccountCode))
            .Where(l => !db.JournalEntries.Any(e => e.Id == l.EntryId && e.SourceType == GeneralJournal.YearCloseSource))
            .GroupBy(l => l.AccountCode)
            .Select(g => new { Code = g.Key, Debit = g.Sum(l => l.BaseDebit), Credit = g.Sum(l => l.BaseCredit) })
            .ToListAsync(ct);
        var balances = sums.Select(s => new Balance(s.Code, null, s.Debit - s.Credit)).ToList();
        var (lines, unmapped) = Arrange(StatementTemplates.ProfitAndLoss, balances, reference.Accounts, extra: null);
        return new ProfitAndLoss(start, end, reference.Company?.BaseCurrency ?? "PLN", lines, -balances.Sum(b => b.DebitMinusCredit), unmapped);
    }

    public async Task<BalanceSheet> BalanceSheetAsync(DateOnly asOf, CancellationToken ct = default)
    {
        var reference = await referenceData.GetAsync(ct);
        var accounts = reference.Accounts;
        var sums = await db.JournalLines.AsNoTracking()
            .Where(l => l.Date <= asOf)
            .GroupBy(l => new { l.AccountCode, l.PartyId })
            .Select(g => new { g.Key.AccountCode, g.Key.PartyId, Debit = g.Sum(l => l.BaseDebit), Credit = g.Sum(l => l.BaseCredit) })
            .ToListAsync(ct);
        var all = sums.Select(s => new Balance(s.AccountCode, s.PartyId, s.Debit - s.Credit)).ToList();
        bool IsResult(string code) => accounts.TryGetValue(code, out var a) && a.Type is AccountType.Revenue or AccountType.Expense;
        bool IsOffBalance(string code) => accounts.TryGetValue(code, out var a) && a.Type == AccountType.OffBalance;
        // Profit and loss not yet closed to 860 (this year's, and earlier years' if they were never closed).
        var currentResult = -all.Where(b => IsResult(b.AccountCode)).Sum(b => b.DebitMinusCredit);
        var balanceSheetAccounts = all.Where(b => !IsResult(b.AccountCode) && !IsOffBalance(b.AccountCode)).ToList();
        var (lines, unmapped) = Arrange(StatementTemplates.BalanceSheet, balanceSheetAccounts, accounts, extra: ("PA.VI", currentResult));
        foreach (var off in all.Where(b => IsOffBalance(b.AccountCode) && b.DebitMinusCredit != 0).Select(b => b.AccountCode).Distinct())
            unmapped.Add($"{off} (off-balance, not at zero)");
        return new BalanceSheet(asOf, reference.Company?.BaseCurrency ?? "PLN", lines,
            lines.Single(l => l.Key == "AKTYWA").Amount, lines.Single(l => l.Key == "PASYWA").Amount, currentResult, unmapped);
    }

    private sealed record Balance(string AccountCode, Guid? PartyId, decimal DebitMinusCredit);

    private static (List<StatementLine> Lines, List<string> Unmapped) Arrange(StatementTemplate template, IReadOnlyList<Balance> balances,
        IReadOnlyDictionary<string, Account> accounts, (string Line, decimal Amount)? extra)
    {
        var byLine = template.Lines.ToDictionary(l => l.Key);
        var amounts = new Dictionary<string, Dictionary<string, decimal>>();   // line → account → amount as the line reads
        var unmapped = new List<string>();
        void Add(string line, string account, decimal debitMinusCredit)
        {
            var value = byLine[line].Credit ? -debitMinusCredit : debitMinusCredit;
            if (!amounts.TryGetValue(line, out var perAccount)) amounts[line] = perAccount = [];
            perAccount[account] = perAccount.GetValueOrDefault(account) + value;
        }
        foreach (var balance in balances)
        {
            var rules = template.RulesFor(balance.AccountCode);
            if (rules.Count == 0)
            {
                var type = accounts.TryGetValue(balance.AccountCode, out var a) ? a.Type : AccountType.Asset;
                if (!unmapped.Contains(balance.AccountCode)) unmapped.Add(balance.AccountCode);
                Add(StatementTemplates.FallbackLine(template, type), balance.AccountCode, balance.DebitMinusCredit);
            }
            else if (rules.Count == 1 && rules[0].Part == BalancePart.Net) Add(rules[0].Line, balance.AccountCode, balance.DebitMinusCredit);
            else
            {
                // A settlement account: a debit balance is an asset, a credit balance a liability, per party (no netting).
                var part = balance.DebitMinusCredit >= 0 ? BalancePart.DebitBalance : BalancePart.CreditBalance;
                var rule = rules.FirstOrDefault(r => r.Part == part) ?? rules[0];
                Add(rule.Line, balance.AccountCode, balance.DebitMinusCredit);
            }
        }
        if (extra is { } e)
        {
            if (!amounts.TryGetValue(e.Line, out var perAccount)) amounts[e.Line] = perAccount = [];
            perAccount["P&L"] = perAccount.GetValueOrDefault("P&L") + e.Amount;
        }

        var totals = new Dictionary<string, decimal>();
        decimal Total(string key)
        {
            if (totals.TryGetValue(key, out var known)) return known;
            var line = byLine[key];
            var value = line.Formula is { } formula
                ? formula.Sum(f => f.StartsWith('-') ? -Total(f[1..]) : Total(f))
                : amounts.GetValueOrDefault(key)?.Values.Sum() ?? 0m;
            return totals[key] = value;
        }
        var lines = template.Lines.Select(l => new StatementLine(l.Key, l.Label, l.Level, Total(l.Key), l.Formula is not null,
            (amounts.GetValueOrDefault(l.Key) ?? []).Where(p => p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new StatementAccount(p.Key, p.Key == "P&L" ? "Wynik bieżący (konta zespołów 4, 5, 7 niezamknięte)" : accounts.GetValueOrDefault(p.Key)?.Name ?? "", p.Value)).ToList()))
            .ToList();
        return (lines, unmapped);
    }
}
