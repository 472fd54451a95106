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
    public int DaysOverdue => OldestOverdueDueDate is { } due ? Math.Max(0, AsOf.DayNumber - due.DayNumber) : 0;
}

public sealed class CustomerOverviewQuery(KontorDbContext db, BusinessCalendar calendar, IOptions<PostingAccounts> accounts)
{
    public async Task<CustomerOverview> GetAsync(Guid partyId, CancellationToken ct = default)
    {
        var party = await db.Parties.AsNoTracking().Where(p => p.Id == partyId)
                        .Select(p => new { p.Id, p.Name, p.CreditLimit, p.CreditLimitCurrency }).FirstOrDefaultAsync(ct)
                    ?? throw new NotFoundException("Party", partyId);
        var today = calendar.Today();
        var currency = Currency.Parse(party.CreditLimitCurrency);
        var receivablesAccount = accounts.Value.Receivables;

        var balances = await db.JournalLines.AsNoTracking()
            .Where(l => l.PartyId == partyId && l.AccountCode == receivablesAccount)
            // A realised exchange difference is posted in PLN only to bring 201 to zero in the book currency; it is
            // nothing the customer owes in PLN, so the balances in the documents' currencies leave it out.
            .Where(l => !db.JournalEntries.Any(e => e.Id == l.EntryId && e.SourceType == Ledger.ExchangeDifferences.SourceType))
            .GroupBy(l => l.Currency)
            .Select(g => new CurrencyBalance(g.Key, g.Sum(l => l.Debit) - g.Sum(l => l.Credit)))
            .ToListAsync(ct);
        var balance = balances.FirstOrDefault(b => b.Currency == currency.Code)?.Balance ?? 0m;

        var items = await db.OpenItems.AsNoTracking()
            .Where(o => o.PartyId == partyId && o.Currency == currency.Code)
            .Select(o => new { o.Side, o.SourceType, o.Amount, o.OpenAmount, o.DocumentDate, o.DueDate, o.SettledOn })
            .ToListAsync(ct);
        // Everything the party owes counts for overdue and timeliness; only invoices (not the extra
        // receivable of an increasing correction) count as sales for the average and the last date.
        var owed = items.Where(o => o.Side == OpenItemSide.Receivable).ToList();
        var invoices = owed.Where(o => o.SourceType == Sales.NumberingSeries.InvoiceDocumentType).ToList();
        var overdue = owed.Where(o => o.OpenAmount > 0 && o.DueDate < today).ToList();
        var settled = owed.Where(o => o.SettledOn is not null && o.DueDate is not null).ToList();
        var daysLate = settled.Select(o => Math.Max(0, o.SettledOn!.Value.DayNumber - o.DueDate!.Value.DayNumber)).ToList();

        return new CustomerOverview(
            party.Id,
            party.Name,
            today,
            currency.Code,
            balance,
            overdue.Sum(o => o.OpenAmount),
            overdue.Count,
            overdue.Count > 0,
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
            await db.OpenItems.AsNoTracking()
                .Where(o => o.PartyId == partyId && o.Side == OpenItemSide.Receivable && o.OpenAmount > 0 && o.DueDate != null && o.DueDate < today)
                .MinAsync(o => o.DueDate, ct));
    }
}
