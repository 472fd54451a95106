using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Reports;

/// <param name="Buckets">Amounts per bucket, in the order of <see cref="AgingReport.Buckets"/>.</param>
/// <param name="Credits">Unallocated payments and corrections' leftovers: money the party has with us (shown apart, not netted).</param>
public sealed record AgingRow(Guid PartyId, string PartyName, IReadOnlyList<decimal> Buckets, decimal Total, decimal Credits);

public sealed record AgingCurrency(string Currency, IReadOnlyList<AgingRow> Rows, IReadOnlyList<decimal> Totals, decimal Total, decimal Credits);

/// <summary>Receivables aging (wiekowanie należności) as of a date, per currency, per customer.</summary>
public sealed record AgingReport(DateOnly AsOf, IReadOnlyList<AgingBucket> Buckets, IReadOnlyList<AgingCurrency> Currencies);

/// <summary>
/// What each customer owed on <c>asOf</c>, by days overdue (asOf − due date; not yet due = "current"). An item counts
/// with its amount open on that day: today's open amount plus what payments and corrections dated later settled, so
/// an aging as of the end of last month stays the same when this month's payments come in. Sums run in the database
/// grouped by (party, currency, due date); only those groups are bucketed here.
/// </summary>
public sealed class AgingQuery(KontorDbContext db)
{
    public async Task<AgingReport> GetAsync(DateOnly asOf, IReadOnlyList<int>? bounds, CancellationToken ct = default)
    {
        var buckets = AgingBuckets.Build(bounds);
        var items = db.OpenItems.AsNoTracking()
            .Where(o => o.DocumentDate <= asOf && (o.Side == OpenItemSide.Receivable || o.Side == OpenItemSide.Credit));
        var open = await items
            .GroupBy(o => new { o.PartyId, o.Currency, o.Side, o.DueDate })
            .Select(g => new Group(g.Key.PartyId, g.Key.Currency, g.Key.Side, g.Key.DueDate, g.Sum(o => o.OpenAmount)))
            .ToListAsync(ct);
        // Settled after asOf: still open on asOf.
        var paidLater = await (
                from a in db.PaymentAllocations.AsNoTracking()
                join o in items on a.OpenItemId equals o.Id
                where a.Date > asOf
                group a by new { o.PartyId, o.Currency, o.Side, o.DueDate } into g
                select new Group(g.Key.PartyId, g.Key.Currency, g.Key.Side, g.Key.DueDate, g.Sum(a => a.Amount)))
            .ToListAsync(ct);
        var correctedLater = await (
                from s in db.CorrectionSettlements.AsNoTracking()
                join o in items on s.OpenItemId equals o.Id
                where s.Date > asOf
                group s by new { o.PartyId, o.Currency, o.Side, o.DueDate } into g
                select new Group(g.Key.PartyId, g.Key.Currency, g.Key.Side, g.Key.DueDate, g.Sum(s => s.Amount)))
            .ToListAsync(ct);
        var groups = open.Concat(paidLater).Concat(correctedLater)
            .GroupBy(g => (g.PartyId, g.Currency, g.Side, g.DueDate))
            .Select(g => new Group(g.Key.PartyId, g.Key.Currency, g.Key.Side, g.Key.DueDate, g.Sum(x => x.Amount)))
            .Where(g => g.Amount != 0)
            .ToList();

        var partyIds = groups.Select(g => g.PartyId).Distinct().ToList();
        var names = await db.Parties.AsNoTracking().Where(p => partyIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var currencies = groups.GroupBy(g => g.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(byCurrency =>
        {
            var rows = byCurrency.GroupBy(g => g.PartyId).Select(byParty =>
            {
                var amounts = new decimal[buckets.Count];
                foreach (var g in byParty.Where(g => g.Side == OpenItemSide.Receivable))
                    amounts[AgingBuckets.IndexOf(buckets, g.DueDate is { } due ? asOf.DayNumber - due.DayNumber : 0)] += g.Amount;
                var credits = byParty.Where(g => g.Side == OpenItemSide.Credit).Sum(g => g.Amount);
                return new AgingRow(byParty.Key, names.GetValueOrDefault(byParty.Key, ""), amounts, amounts.Sum(), credits);
            }).OrderBy(r => r.PartyName, StringComparer.CurrentCulture).ThenBy(r => r.PartyId).ToList();
            var totals = Enumerable.Range(0, buckets.Count).Select(i => rows.Sum(r => r.Buckets[i])).ToList();
            return new AgingCurrency(byCurrency.Key, rows, totals, totals.Sum(), rows.Sum(r => r.Credits));
        }).ToList();
        return new AgingReport(asOf, buckets, currencies);
    }

    private sealed record Group(Guid PartyId, string Currency, OpenItemSide Side, DateOnly? DueDate, decimal Amount);
}
