using Kontor.Common;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kontor.CustomerCard;

public sealed record CurrencyBalance(string Currency, decimal Balance);

/// <summary>
/// The money side of the customer card, in the currency of the party's credit limit. Every figure
/// comes from the ledger: the balance from the receivables account, the rest from the open items
/// written in the same transactions as the journal lines.
/// </summary>
public sealed record CustomerOverview(
    Guid PartyId,
    string PartyName,
    DateOnly AsOf,
    string Currency,
    decimal Balance,
    decimal OverdueAmount,
    int OverdueCount,
    bool IsOverdue,
    decimal? CreditLimit,
    decimal? AvailableCredit,
    int InvoiceCount,
    decimal? AverageInvoiceValue,
    DateOnly? LastInvoiceDate,
    int SettledInvoiceCount,
    decimal? OnTimePaymentRatio,
    decimal? AverageDaysLate,
    decimal UnallocatedPayments,
    IReadOnlyList<CurrencyBalance> BalancesByCurrency,
    DateOnly? OldestOverdueDueDate = null)
{
    /// <summary>Days past due of the oldest unpaid receivable in any currency (0 when nothing is overdue); credit control compares it with its threshold.</summary>
    public int DaysOverdue => CreditFigures.DaysOverdueOn(AsOf, OldestOverdueDueDate);

    /// <summary>
    /// The figures credit control decides on, taken from this overview: a page that has the overview hands these to
    /// <see cref="Crm.Credit.CreditControl.ForNextSaleAsync(CreditFigures, CancellationToken)"/> instead of having them read again.
    /// </summary>
    public CreditFigures CreditFigures => new(PartyId, PartyName, AsOf, Currency, CreditLimit, Balance, OverdueAmount, OldestOverdueDueDate);
}

/// <summary>
/// What credit control reads of a party (the figures of its <see cref="CustomerOverview"/> it decides on): balance and
/// overdue amount in the credit limit's currency, days past due of the oldest unpaid receivable in any currency.
/// </summary>
public sealed record CreditFigures(Guid PartyId, string PartyName, DateOnly AsOf, string Currency, decimal? CreditLimit, decimal Balance,
    decimal OverdueAmount, DateOnly? OldestOverdueDueDate)
{
    public int DaysOverdue => DaysOverdueOn(AsOf, OldestOverdueDueDate);

    /// <summary>Days past due of the oldest unpaid receivable on <paramref name="asOf"/> (0 when nothing is overdue): the card's and credit control's one count.</summary>
    public static int DaysOverdueOn(DateOnly asOf, DateOnly? oldestOverdueDueDate) =>
        oldestOverdueDueDate is { } due ? Math.Max(0, asOf.DayNumber - due.DayNumber) : 0;
}

public sealed class CustomerOverviewQuery(KontorDbContext db, BusinessCalendar calendar, IOptions<PostingAccounts> accounts)
{
    /// <summary>
    /// The credit figures of several parties in three queries whatever their number (parties, receivable balances, overdue
    /// receivables), by the same definitions as <see cref="GetAsync"/> (<see cref="ReceivableLines"/>, <see cref="Overdue"/>).
    /// A party that does not exist is missing from the answer.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, CreditFigures>> CreditFiguresAsync(IReadOnlyCollection<Guid> partyIds, CancellationToken ct = default)
    {
        var result = new Dictionary<Guid, CreditFigures>();
        if (partyIds.Count == 0) return result;
        var today = calendar.Today();
        foreach (var chunk in partyIds.Distinct().Chunk(500))
        {
            var parties = await db.Parties.AsNoTracking().Where(p => chunk.Contains(p.Id))
                .Select(p => new { p.Id, p.Name, p.CreditLimit, p.CreditLimitCurrency }).ToListAsync(ct);
            var balances = await ReceivableLines(l => chunk.Contains(l.PartyId!.Value))
                .GroupBy(l => new { PartyId = l.PartyId!.Value, l.Currency })
                .Select(g => new { g.Key.PartyId, g.Key.Currency, Balance = g.Sum(l => l.Debit) - g.Sum(l => l.Credit) })
                .ToListAsync(ct);
            var overdue = await Overdue(o => chunk.Contains(o.PartyId), today)
                .GroupBy(o => new { o.PartyId, o.Currency })
                .Select(g => new { g.Key.PartyId, g.Key.Currency, Amount = g.Sum(o => o.OpenAmount), Oldest = g.Min(o => o.DueDate) })
                .ToListAsync(ct);
            var balanceOf = balances.ToDictionary(b => (b.PartyId, b.Currency), b => b.Balance);
            var overdueOf = overdue.ToLookup(o => o.PartyId);
            foreach (var party in parties)
            {
                var currency = Currency.Parse(party.CreditLimitCurrency).Code!;
                var own = overdueOf[party.Id].ToList();
                result[party.Id] = new CreditFigures(party.Id, party.Name, today, currency, party.CreditLimit,
                    balanceOf.GetValueOrDefault((party.Id, currency)),
                    own.Where(o => o.Currency == currency).Sum(o => o.Amount),
                    own.Count == 0 ? null : own.Min(o => o.Oldest));
            }
        }
        return result;
    }

    /// <summary>The party's lines on the receivables account that make its balance (realised exchange differences left out).</summary>
    private IQueryable<JournalLine> ReceivableLines(System.Linq.Expressions.Expression<Func<JournalLine, bool>> parties)
    {
        var receivablesAccount = accounts.Value.Receivables;
        return db.JournalLines.AsNoTracking()
            .Where(parties)
            .Where(l => l.AccountCode == receivablesAccount)
            // A realised exchange difference is posted in PLN only to bring 201 to zero in the book currency; it is
            // nothing the customer owes in PLN, so the balances in the documents' currencies leave it out.
            .Where(l => !db.JournalEntries.Any(e => e.Id == l.EntryId && e.SourceType == Ledger.ExchangeDifferences.SourceType));
    }

    /// <summary>
    /// THE rule for "overdue", shared by the card (<see cref="GetAsync"/>) and credit control (<see cref="CreditFiguresAsync"/>):
    /// receivables (never payables or unallocated credits) with something still open whose due date is before today —
    /// due today is not overdue yet; a part-paid one is overdue by what is still open.
    /// </summary>
    private IQueryable<OpenItem> Overdue(System.Linq.Expressions.Expression<Func<OpenItem, bool>> parties, DateOnly today) =>
        db.OpenItems.AsNoTracking().Where(parties)
            .Where(o => o.Side == OpenItemSide.Receivable && o.OpenAmount > 0 && o.DueDate != null && o.DueDate < today);

    public async Task<CustomerOverview> GetAsync(Guid partyId, CancellationToken ct = default)
    {
        var party = await db.Parties.AsNoTracking().Where(p => p.Id == partyId)
                        .Select(p => new { p.Id, p.Name, p.CreditLimit, p.CreditLimitCurrency }).FirstOrDefaultAsync(ct)
                    ?? throw new NotFoundException("Party", partyId);
        var today = calendar.Today();
        var currency = Currency.Parse(party.CreditLimitCurrency);

        var balances = await ReceivableLines(l => l.PartyId == partyId)
            .GroupBy(l => l.Currency)
            .Select(g => new CurrencyBalance(g.Key, g.Sum(l => l.Debit) - g.Sum(l => l.Credit)))
            .ToListAsync(ct);
        var balance = balances.FirstOrDefault(b => b.Currency == currency.Code)?.Balance ?? 0m;

        var items = await db.OpenItems.AsNoTracking()
            .Where(o => o.PartyId == partyId && o.Currency == currency.Code)
            .Select(o => new { o.Side, o.SourceType, o.Amount, o.DocumentDate, o.DueDate, o.SettledOn, o.OpenAmount })
            .ToListAsync(ct);
        // "Overdue" is the one SQL rule credit control decides on (Overdue), per currency in one statement: the amount
        // and count in the limit's currency for the tiles, the oldest due date in any currency for how late the party is.
        var overdue = await Overdue(o => o.PartyId == partyId, today)
            .GroupBy(o => o.Currency)
            .Select(g => new { Currency = g.Key, Amount = g.Sum(o => o.OpenAmount), Count = g.Count(), Oldest = g.Min(o => o.DueDate) })
            .ToListAsync(ct);
        var overdueInLimitCurrency = overdue.FirstOrDefault(o => o.Currency == currency.Code);
        var overdueCount = overdueInLimitCurrency?.Count ?? 0;
        // Everything the party owes counts for timeliness; only invoices (not the extra receivable of an increasing
        // correction) count as sales for the average and the last date.
        var owed = items.Where(o => o.Side == OpenItemSide.Receivable).ToList();
        var invoices = owed.Where(o => o.SourceType == Sales.NumberingSeries.InvoiceDocumentType).ToList();
        var settled = owed.Where(o => o.SettledOn is not null && o.DueDate is not null).ToList();
        var daysLate = settled.Select(o => Math.Max(0, o.SettledOn!.Value.DayNumber - o.DueDate!.Value.DayNumber)).ToList();

        return new CustomerOverview(
            party.Id,
            party.Name,
            today,
            currency.Code,
            balance,
            overdueInLimitCurrency?.Amount ?? 0m,
            overdueCount,
            overdueCount > 0,
            party.CreditLimit,
            party.CreditLimit is null ? null : party.CreditLimit.Value - balance,
            invoices.Count,
            invoices.Count == 0 ? null : Money.RoundToMinorUnits(invoices.Average(o => o.Amount), currency),
            invoices.Count == 0 ? null : invoices.Max(o => o.DocumentDate),
            settled.Count,
            settled.Count == 0 ? null : decimal.Round((decimal)daysLate.Count(d => d == 0) / settled.Count, 4, MidpointRounding.AwayFromZero),
            settled.Count == 0 ? null : decimal.Round((decimal)daysLate.Average(), 1, MidpointRounding.AwayFromZero),
            items.Where(o => o.Side == OpenItemSide.Credit).Sum(o => o.OpenAmount),
            balances.OrderBy(b => b.Currency).ToList(),
            // Overdue debt in any currency counts for how late the party is, not only debt in the limit's currency.
            overdue.Count == 0 ? null : overdue.Min(o => o.Oldest));
    }
}
