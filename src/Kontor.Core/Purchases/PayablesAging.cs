using Kontor.Common;
using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Purchases;

public sealed record AgingRow(Guid SupplierId, string SupplierName, string Currency, IReadOnlyList<decimal> Amounts, decimal Total);

public sealed record AgingTotal(string Currency, IReadOnlyList<decimal> Amounts, decimal Total);

public sealed record PayablesAgingReport(DateOnly AsOf, IReadOnlyList<AgingBucket> Buckets, IReadOnlyList<AgingRow> Rows, IReadOnlyList<AgingTotal> Totals);

/// <summary>
/// AP aging (wiekowanie zobowiązań): what we owed each supplier on a day, by how long it was overdue then. The open
/// amount on that day is rebuilt from the payable open items and their settlement history (payments and corrections
/// dated on or before it), so a past date answers as the books stood then.
/// </summary>
public sealed class PayablesAging(KontorDbContext db)
{
    public async Task<PayablesAgingReport> AsOfAsync(DateOnly asOf, IReadOnlyList<int> limits, Guid? supplierId = null, CancellationToken ct = default)
    {
        var buckets = AgingBuckets.Build(limits);
        var query = db.OpenItems.AsNoTracking().Where(o => o.Side == OpenItemSide.Payable && o.DocumentDate <= asOf);
        if (supplierId is { } s) query = query.Where(o => o.PartyId == s);
        var items = await query.Select(o => new { o.Id, o.PartyId, o.Currency, o.Amount, o.DueDate, o.DocumentDate }).ToListAsync(ct);
        var ids = items.Select(i => i.Id).ToList();
        var paid = await db.PaymentAllocations.AsNoTracking().Where(a => ids.Contains(a.OpenItemId) && a.Date <= asOf)
            .GroupBy(a => a.OpenItemId).Select(g => new { g.Key, Amount = g.Sum(a => a.Amount) }).ToListAsync(ct);
        var corrected = await db.CorrectionSettlements.AsNoTracking().Where(a => ids.Contains(a.OpenItemId) && a.Date <= asOf)
            .GroupBy(a => a.OpenItemId).Select(g => new { g.Key, Amount = g.Sum(a => a.Amount) }).ToListAsync(ct);
        var settled = paid.Concat(corrected).GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.Amount));
        var partyIds = items.Select(i => i.PartyId).Distinct().ToList();
        var names = await db.Parties.AsNoTracking().Where(p => partyIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);

        var rows = new List<AgingRow>();
        foreach (var group in items.GroupBy(i => (i.PartyId, i.Currency)))
        {
            var amounts = new decimal[buckets.Count];
            foreach (var item in group)
            {
                var open = item.Amount - settled.GetValueOrDefault(item.Id);
                if (open == 0) continue;
                var overdue = asOf.DayNumber - (item.DueDate ?? item.DocumentDate).DayNumber;
                amounts[AgingBuckets.IndexOf(buckets, overdue)] += open;
            }
            if (amounts.All(a => a == 0)) continue;
            rows.Add(new AgingRow(group.Key.PartyId, names.GetValueOrDefault(group.Key.PartyId, ""), group.Key.Currency, amounts, amounts.Sum()));
        }
        rows = rows.OrderBy(r => r.SupplierName, StringComparer.CurrentCulture).ThenBy(r => r.Currency, StringComparer.Ordinal).ToList();
        var totals = rows.GroupBy(r => r.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AgingTotal(g.Key, Enumerable.Range(0, buckets.Count).Select(i => g.Sum(r => r.Amounts[i])).ToList(), g.Sum(r => r.Total)))
            .ToList();
        return new PayablesAgingReport(asOf, buckets, rows, totals);
    }
}
