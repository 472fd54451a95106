using System.Globalization;
using Kontor.Common;

namespace Kontor.Ledger;

/// <summary>An aging column: "current" (not yet due, <see cref="FromDays"/> null) or days overdue from <see cref="FromDays"/> to <see cref="ToDays"/> (null = open-ended).</summary>
public sealed record AgingBucket(string Label, int? FromDays, int? ToDays);

/// <summary>
/// The buckets of every aging (receivables in Reports, payables in Purchases), from bounds in days overdue:
/// "30,60,90" → current, 1-30, 31-60, 61-90, &gt;90. One definition, so both agings cut the days the same way.
/// </summary>
public static class AgingBuckets
{
    public static readonly IReadOnlyList<int> DefaultBounds = [30, 60, 90];

    /// <summary>Reads "30,60,90" (empty = the default); anything that is not whole days is a 400 naming <c>buckets</c>.</summary>
    public static IReadOnlyList<int> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return DefaultBounds;
        var bounds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
                throw new ValidationException("buckets", $"'{part}' is not a whole number of days (e.g. buckets=30,60,90).");
            bounds.Add(days);
        }
        return bounds;
    }

    /// <summary>The buckets for ascending bounds between 1 and 3650, at most 12 (none given = the default).</summary>
    public static IReadOnlyList<AgingBucket> Build(IReadOnlyList<int>? bounds)
    {
        var b = bounds is { Count: > 0 } ? bounds : DefaultBounds;
        var errors = new ValidationErrors();
        errors.Require(b.Count <= 12, "buckets", "Give at most 12 bucket bounds.");
        for (var i = 0; i < b.Count; i++)
            errors.Require(b[i] > 0 && b[i] <= 3650 && (i == 0 || b[i] > b[i - 1]), "buckets",
                "Bucket bounds are days overdue, ascending, between 1 and 3650 (e.g. 30,60,90).");
        errors.ThrowIfAny();
        var buckets = new List<AgingBucket> { new("current", null, 0) };
        for (var i = 0; i < b.Count; i++)
        {
            var from = i == 0 ? 1 : b[i - 1] + 1;
            buckets.Add(new($"{from}-{b[i]}", from, b[i]));
        }
        buckets.Add(new($">{b[^1]}", b[^1] + 1, null));
        return buckets;
    }

    /// <summary>The bucket of an amount <paramref name="daysOverdue"/> days past due (0 or less: current).</summary>
    public static int IndexOf(IReadOnlyList<AgingBucket> buckets, int daysOverdue)
    {
        if (daysOverdue <= 0) return 0;
        for (var i = 1; i < buckets.Count; i++)
            if (buckets[i].ToDays is not { } to || daysOverdue <= to) return i;
        return buckets.Count - 1;
    }
}
