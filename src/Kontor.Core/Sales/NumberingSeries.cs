using System.Globalization;
using System.Text.RegularExpressions;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Sales;

public enum NumberingReset { Monthly, Yearly, Never }

/// <summary>
/// A series of human document numbers such as FV/2026/11/17. Pattern tokens: {yyyy} {yy} {MM} {n}
/// and {n:4} (sequence zero-padded to 4 digits).
/// </summary>
public sealed class NumberingSeries
{
    public const string InvoiceDocumentType = "invoice";
    public const string DefaultInvoicePattern = "FV/{yyyy}/{MM}/{n}";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string DocumentType { get; init; } = InvoiceDocumentType;
    public string Name { get; set; } = "";
    public string Pattern { get; set; } = DefaultInvoicePattern;
    public NumberingReset Reset { get; set; } = NumberingReset.Monthly;
    public bool IsDefault { get; set; }

    public string PeriodKey(DateOnly date) => Reset switch
    {
        NumberingReset.Monthly => date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        NumberingReset.Yearly => date.ToString("yyyy", CultureInfo.InvariantCulture),
        _ => "all",
    };

    public string Format(DateOnly date, long sequence) =>
        Token().Replace(Pattern, m => m.Groups["name"].Value switch
        {
            "yyyy" => date.ToString("yyyy", CultureInfo.InvariantCulture),
            "yy" => date.ToString("yy", CultureInfo.InvariantCulture),
            "MM" => date.ToString("MM", CultureInfo.InvariantCulture),
            "n" when m.Groups["pad"].Success => sequence.ToString(CultureInfo.InvariantCulture).PadLeft(int.Parse(m.Groups["pad"].Value, CultureInfo.InvariantCulture), '0'),
            "n" => sequence.ToString(CultureInfo.InvariantCulture),
            _ => m.Value,
        });

    private static Regex Token() => TokenRegex;
    private static readonly Regex TokenRegex = new(@"\{(?<name>yyyy|yy|MM|n)(:(?<pad>\d{1,2}))?\}", RegexOptions.Compiled);
}

/// <summary>The last number handed out in one period of a series. One row per (series, period).</summary>
public sealed class NumberingCounter
{
    public Guid SeriesId { get; init; }
    public string Period { get; init; } = "";
    public long LastValue { get; set; }
}

/// <summary>
/// Hands out gapless numbers: the counter row is incremented inside the caller's transaction, which
/// holds its row lock until commit (PostgreSQL) or holds the single writer lock (SQLite). A rolled
/// back issue therefore gives its number back, and two issues can never see the same value.
/// </summary>
public sealed class DocumentNumbering(KontorDbContext db)
{
    public async Task<string> NextAsync(NumberingSeries series, DateOnly date, CancellationToken ct) =>
        (await NextRangeAsync(series, [date], ct))[0];

    /// <summary>
    /// Consecutive numbers for documents dated <paramref name="dates"/> (all in one period of the
    /// series), in that order, taken with a single counter update.
    /// </summary>
    public async Task<IReadOnlyList<string>> NextRangeAsync(NumberingSeries series, IReadOnlyList<DateOnly> dates, CancellationToken ct)
    {
        if (dates.Count == 0) return [];
        var period = series.PeriodKey(dates[0]);
        if (dates.Any(d => series.PeriodKey(d) != period))
            throw new ArgumentException("All dates of one numbering range must fall in the same period.", nameof(dates));
        var last = await IncrementAsync(series.Id, period, dates.Count, ct);
        if (last is null)
        {
            // First number of a new period; a concurrent issuer may create the row first, hence DO NOTHING.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "NumberingCounters" ("SeriesId", "Period", "LastValue") VALUES ({series.Id}, {period}, 0) ON CONFLICT DO NOTHING""", ct);
            last = await IncrementAsync(series.Id, period, dates.Count, ct);
        }
        var first = last!.Value - dates.Count + 1;
        return dates.Select((date, k) => series.Format(date, first + k)).ToList();
    }

    private async Task<long?> IncrementAsync(Guid seriesId, string period, long count, CancellationToken ct)
    {
        var values = await db.Database.SqlQuery<long>(
            $"""UPDATE "NumberingCounters" SET "LastValue" = "LastValue" + {count} WHERE "SeriesId" = {seriesId} AND "Period" = {period} RETURNING "LastValue" AS "Value" """)
            .ToListAsync(ct);
        return values.Count == 0 ? null : values[0];
    }
}
