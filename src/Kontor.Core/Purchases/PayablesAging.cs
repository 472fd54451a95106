using Kontor.Common;
using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Purchases;

/// <summary>One aging bucket: "current" (not yet due) or days overdue from <see cref="FromDays"/> to <see cref="ToDays"/> (null = open-ended).</summary>
public sealed record AgingBucket(string Label, int? FromDays, int? ToDays);

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
    public static readonly IReadOnlyList<int> DefaultLimits = [30, 60, 90];

    /// <summary>Bucket limits in days overdue, ascending: [30, 60, 90] gives current, 1–30, 31–60, 61–90, &gt;90.</summary>
    public static IReadOnlyList<AgingBucket> Buckets(IReadOnlyList<int> limits)
    {
        var buckets = new List<AgingBucket> { new("current", null, 0) };
        var from = 1;
        foreach (var limit in limits)
        {
            buckets.Add(new($"{from}-{limit}", from, limit));
            from = limit + 1;
        }
        buckets.Add(new($">{from - 1}", from, null));
        return buckets;
    }

    public static IReadOnlyList<int> ParseLimits(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return DefaultLimits;
        var limits = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) || days < 1 || days > 3650)
                throw new ValidationException("buckets", $"'{part}' is not a number of days between 1 and 3650.");
            limits.Add(days);
        }
        if (limits.Count > 12) throw new ValidationException("buckets", "At most 12 bucket limits.");
        for (var i = 1; i < limits.Count; i++)
            if (limits[i] <= limits[i - 1]) throw new ValidationException("buckets", "Bucket limits must increase (e.g. 30,60,90).");
        return limits;
    }

    public async Task<PayablesAgingReport> AsOfAsync(DateOnly asOf, IReadOnlyList<int> limits, Guid? supplierId = null, CancellationToken ct = default)
    {
        var buckets = Buckets(limits);
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
                amounts[BucketOf(buckets, overdue)] += open;
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

    private static int BucketOf(IReadOnlyList<AgingBucket> buckets, int daysOverdue)
    {
        if (daysOverdue <= 0) return 0;
        for (var i = 1; i < buckets.Count; i++)
            if (buckets[i].ToDays is null || daysOverdue <= buckets[i].ToDays) return i;
        return buckets.Count - 1;
    }
}
