using System.Globalization;
using System.Text.RegularExpressions;
using Kontor.Common;
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
    /// <summary>Correction invoices have a series of their own (docs/decisions.md §15).</summary>
    public const string CorrectionDocumentType = "correction";
    public const string DefaultCorrectionPattern = "KOR/{yyyy}/{MM}/{n}";
    /// <summary>Pro formas are not tax documents and have a series of their own (docs/decisions.md §23).</summary>
    public const string ProFormaDocumentType = "proforma";
    public const string DefaultProFormaPattern = "PF/{yyyy}/{MM}/{n}";

    /// <summary>The document type whose series numbers an invoice of <paramref name="kind"/>; advance and final invoices use the VAT invoice series.</summary>
    public static string DocumentTypeOf(InvoiceKind kind) => kind switch
    {
        InvoiceKind.Correction => CorrectionDocumentType,
        InvoiceKind.ProForma => ProFormaDocumentType,
        _ => InvoiceDocumentType,
    };

    /// <summary>The document types that are numbered, for settings to offer; add a new type here with its constant.</summary>
    public static readonly IReadOnlyList<string> KnownDocumentTypes =
        [InvoiceDocumentType, CorrectionDocumentType, ProFormaDocumentType, Offers.Offer.DocumentType, Orders.Order.DocumentType, ComplaintDocumentType, .. Inventory.StockDocument.DocumentTypes];

    /// <summary>Complaints (reklamacje) are numbered per year in a series of their own: REK/2026/1.</summary>
    public const string ComplaintDocumentType = Crm.Complaints.Complaint.DocumentType;
    public const string DefaultComplaintPattern = Crm.Complaints.Complaint.DefaultNumberPattern;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string DocumentType { get; init; } = InvoiceDocumentType;
    public string Name { get; set; } = "";
    public string Pattern { get; set; } = DefaultInvoicePattern;
    public NumberingReset Reset { get; set; } = NumberingReset.Monthly;
    public bool IsDefault { get; set; }
    /// <summary>Optimistic concurrency: a settings update names the version it was based on.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    public const int MaxPatternLength = 40;
    /// <summary>Longest sequence padding ({n:12}); a number must still fit the 64 characters of a document number.</summary>
    public const int MaxPadding = 12;

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

    /// <summary>
    /// Why <paramref name="pattern"/> cannot number documents with <paramref name="reset"/>, in the reader's language, or null. A
    /// period must be visible in the number, or numbers repeat: a monthly reset needs {MM} and a year, a
    /// yearly reset a year.
    /// </summary>
    public static string? PatternProblem(string pattern, NumberingReset reset)
    {
        if (pattern.Length > MaxPatternLength) return Messages.Format("pattern must be at most {0} characters.", MaxPatternLength);
        var tokens = TokenRegex.Matches(pattern);
        var literal = Literal(pattern);
        if (literal.IndexOfAny(['{', '}']) >= 0)
            return Messages.Translate("pattern has an unknown token; use {yyyy}, {yy}, {MM}, {n} or {n:k} (k = 1–12) and literal text.");
        if (literal.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.')))
            return Messages.Translate("pattern's literal text may contain only letters, digits and / - _ .");
        if (tokens.Any(t => t.Groups["pad"].Success && t.Groups["name"].Value != "n"))
            return Messages.Translate("only the sequence takes a width: {n:k}; write {yyyy}, {yy} and {MM} without one.");
        var names = tokens.Select(t => t.Groups["name"].Value).ToList();
        var sequences = names.Count(n => n == "n");
        if (sequences != 1) return Messages.Translate("pattern must contain the sequence number exactly once: {n}, or {n:k} for k digits.");
        if (tokens.FirstOrDefault(t => t.Groups["pad"].Success) is { } padded
            && int.Parse(padded.Groups["pad"].Value, CultureInfo.InvariantCulture) is < 1 or > MaxPadding)
            return Messages.Format("{{n:k}} pads to k digits; k must be between 1 and {0}.", MaxPadding);
        var hasYear = names.Contains("yyyy") || names.Contains("yy");
        var hasMonth = names.Contains("MM");
        return reset switch
        {
            NumberingReset.Monthly when !(hasYear && hasMonth) =>
                Messages.Translate("A series that restarts every month needs {MM} and a year ({yyyy} or {yy}) in the pattern; otherwise the numbers of different months would repeat."),
            NumberingReset.Yearly when !hasYear =>
                Messages.Translate("A series that restarts every year needs a year ({yyyy} or {yy}) in the pattern; otherwise the numbers of different years would repeat."),
            _ when !Enum.IsDefined(reset) => Messages.Translate("reset must be Monthly, Yearly or Never."),
            _ => null,
        };
    }

    /// <summary>The pattern without its tokens: "KRK/{yyyy}/{n}" → "KRK//".</summary>
    public static string Literal(string pattern) => TokenRegex.Replace(pattern, "");

    /// <summary>The literal text before the first token: "KRK/{yyyy}/{n}" → "KRK/".</summary>
    public static string LeadingLiteral(string pattern)
    {
        var first = TokenRegex.Match(pattern);
        return first.Success ? pattern[..first.Index] : pattern;
    }

    /// <summary>
    /// True when two patterns can never print the same number, judged by their literal text before the
    /// first token: it differs before either ends ("FV/" and "KRK/"), or where the shorter ends (its token
    /// prints a digit there) the longer goes on with a character that is not a digit ("FV/" and "FV/KRK/").
    /// Simple to explain, and safe where "the literal texts differ" is not: "A/{n}" and "A/1{n}" both print "A/11".
    /// </summary>
    public static bool CannotCollide(string pattern, string other)
    {
        var a = LeadingLiteral(pattern);
        var b = LeadingLiteral(other);
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) return false;
        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        if (!longer.StartsWith(shorter, StringComparison.OrdinalIgnoreCase)) return true;
        return !char.IsAsciiDigit(longer[shorter.Length]);
    }

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
