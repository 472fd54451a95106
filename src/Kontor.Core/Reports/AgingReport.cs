using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Reports;

/// <summary>A column of the aging: open amounts whose days overdue fall in [<paramref name="FromDays"/>, <paramref name="ToDays"/>] (null = no upper end).</summary>
public sealed record AgingBucket(string Label, int FromDays, int? ToDays);

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
    public static readonly IReadOnlyList<int> DefaultBounds = [30, 60, 90];

    /// <summary>"30,60,90" → current, 1–30, 31–60, 61–90, &gt;90. Bounds ascending and positive, at most 12.</summary>
    public static IReadOnlyList<AgingBucket> Buckets(IReadOnlyList<int>? bounds)
    {
        var b = bounds is { Count: > 0 } ? bounds : DefaultBounds;
        var errors = new ValidationErrors();
        errors.Require(b.Count <= 12, "buckets", "Give at most 12 bucket bounds.");
        for (var i = 0; i < b.Count; i++)
            errors.Require(b[i] > 0 && b[i] <= 3650 && (i == 0 || b[i] > b[i - 1]), "buckets",
                "Bucket bounds are days overdue, ascending, between 1 and 3650 (e.g. 30,60,90).");
        errors.ThrowIfAny();
        var buckets = new List<AgingBucket> { new("current", int.MinValue, 0) };
        for (var i = 0; i < b.Count; i++) buckets.Add(new($"{(i == 0 ? 1 : b[i - 1] + 1)}-{b[i]}", i == 0 ? 1 : b[i - 1] + 1, b[i]));
        buckets.Add(new($">{b[^1]}", b[^1] + 1, null));
        return buckets;
    }

    public static IReadOnlyList<int> ParseBounds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return DefaultBounds;
        var bounds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days))
                throw new Common.ValidationException("buckets", $"'{part}' is not a whole number of days (e.g. buckets=30,60,90).");
            bounds.Add(days);
        }
        return bounds;
    }

    public async Task<AgingReport> GetAsync(DateOnly asOf, IReadOnlyList<int>? bounds, CancellationToken ct = default)
    {
        var buckets = Buckets(bounds);
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
                    amounts[BucketOf(buckets, g.DueDate is { } due ? asOf.DayNumber - due.DayNumber : 0)] += g.Amount;
                var credits = byParty.Where(g => g.Side == OpenItemSide.Credit).Sum(g => g.Amount);
                return new AgingRow(byParty.Key, names.GetValueOrDefault(byParty.Key, ""), amounts, amounts.Sum(), credits);
            }).OrderBy(r => r.PartyName, StringComparer.CurrentCulture).ThenBy(r => r.PartyId).ToList();
            var totals = Enumerable.Range(0, buckets.Count).Select(i => rows.Sum(r => r.Buckets[i])).ToList();
            return new AgingCurrency(byCurrency.Key, rows, totals, totals.Sum(), rows.Sum(r => r.Credits));
        }).ToList();
        return new AgingReport(asOf, buckets, currencies);
    }

    private static int BucketOf(IReadOnlyList<AgingBucket> buckets, int daysOverdue)
    {
        for (var i = 0; i < buckets.Count; i++)
            if (daysOverdue >= buckets[i].FromDays && (buckets[i].ToDays is not { } to || daysOverdue <= to)) return i;
        return buckets.Count - 1;
    }

    private sealed record Group(Guid PartyId, string Currency, OpenItemSide Side, DateOnly? DueDate, decimal Amount);
}
