using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Sales;

public sealed record CreateNumberingSeries(string? DocumentType, string? Name, string? Pattern, NumberingReset? Reset, bool IsDefault);

/// <param name="Pattern">Null keeps the pattern; a different one is refused once the series has issued a number.</param>
/// <param name="Reset">Null keeps the reset; like the pattern, fixed once the series has issued a number.</param>
/// <param name="Version">The version the change was based on; another version means someone changed the series meanwhile.</param>
public sealed record UpdateNumberingSeries(string? Name, bool? IsDefault, string? Pattern, NumberingReset? Reset, Guid Version);

/// <param name="IssuedCount">Numbers handed out so far, over all periods.</param>
/// <param name="Example">The number the pattern prints for the first document of today's period.</param>
public sealed record NumberingSeriesView(Guid Id, string DocumentType, string Name, string Pattern, NumberingReset Reset, bool IsDefault,
    long IssuedCount, string Example, Guid Version);

/// <summary>
/// Numbering series as settings: one default per document type, patterns checked so that numbers never
/// repeat within a series nor across series. Changes are audited and drop the host's <see cref="ReferenceData"/>.
/// </summary>
public sealed partial class NumberingSeriesService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, ReferenceData referenceData, BusinessCalendar calendar)
{
    public const int MaxSeries = 200;

    public async Task<IReadOnlyList<NumberingSeriesView>> ListAsync(string? documentType = null, CancellationToken ct = default)
    {
        var query = db.NumberingSeries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(documentType)) query = query.Where(s => s.DocumentType == documentType.Trim().ToLowerInvariant());
        var series = await query.OrderBy(s => s.DocumentType).ThenByDescending(s => s.IsDefault).ThenBy(s => s.Name).ToListAsync(ct);
        var ids = series.Select(s => s.Id).ToList();
        var issued = (await db.NumberingCounters.AsNoTracking().Where(c => ids.Contains(c.SeriesId))
                .Select(c => new { c.SeriesId, c.LastValue }).ToListAsync(ct))
            .GroupBy(c => c.SeriesId).ToDictionary(g => g.Key, g => g.Sum(c => c.LastValue));
        var today = calendar.Today();
        return series.Select(s => new NumberingSeriesView(s.Id, s.DocumentType, s.Name, s.Pattern, s.Reset, s.IsDefault,
            issued.GetValueOrDefault(s.Id), s.Format(today, 1), s.Version)).ToList();
    }

    public async Task<NumberingSeriesView> GetAsync(Guid id, CancellationToken ct = default) =>
        (await ListAsync(null, ct)).FirstOrDefault(s => s.Id == id) ?? throw new NotFoundException("Numbering series", id);

    public async Task<NumberingSeriesView> CreateAsync(CreateNumberingSeries c, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var documentType = (c.DocumentType ?? NumberingSeries.InvoiceDocumentType).Trim().ToLowerInvariant();
        errors.Require(DocumentTypeRegex().IsMatch(documentType), "documentType", "documentType is a lowercase word such as invoice, proforma, offer, order or correction.");
        var name = errors.Text(c.Name, "name", 100);
        var pattern = errors.Text(c.Pattern, "pattern", NumberingSeries.MaxPatternLength);
        var reset = c.Reset ?? NumberingReset.Yearly;
        errors.Require(Enum.IsDefined(reset), "reset", "reset must be Monthly, Yearly or Never.");
        if (pattern is not null && Enum.IsDefined(reset) && NumberingSeries.PatternProblem(pattern, reset) is { } problem) errors.Add("pattern", problem);
        errors.ThrowIfAny();

        var series = new NumberingSeries { DocumentType = documentType, Name = name!, Pattern = pattern!, Reset = reset, IsDefault = c.IsDefault };
        await unitOfWork.ExecuteAsync(async token =>
        {
            var all = await db.NumberingSeries.ToListAsync(token);
            if (all.Count >= MaxSeries) throw new ValidationException("name", $"At most {MaxSeries} numbering series can be kept.");
            EnsureUniqueName(all, series, series.Name);
            EnsureCannotCollide(all, series, series.Pattern);
            var sameType = all.Where(s => s.DocumentType == series.DocumentType).ToList();
            // The first series of a document type is its default: documents of that type need one.
            if (sameType.Count == 0) series.IsDefault = true;
            if (series.IsDefault) ClearDefault(sameType, except: series.Id);
            db.NumberingSeries.Add(series);
            audit.Record("numbering-series.created", nameof(NumberingSeries), series.Id, new { series.DocumentType, series.Name, series.Pattern, series.Reset, series.IsDefault });
            return 0;
        }, ct);
        referenceData.Invalidate();
        return await GetAsync(series.Id, ct);
    }

    public async Task<NumberingSeriesView> UpdateAsync(Guid id, UpdateNumberingSeries c, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var name = c.Name is null ? null : errors.Text(c.Name, "name", 100);
        var pattern = c.Pattern is null ? null : errors.Text(c.Pattern, "pattern", NumberingSeries.MaxPatternLength);
        errors.Require(c.Reset is null || Enum.IsDefined(c.Reset.Value), "reset", "reset must be Monthly, Yearly or Never.");
        errors.ThrowIfAny();

        await unitOfWork.ExecuteAsync(async token =>
        {
            var all = await db.NumberingSeries.ToListAsync(token);
            var series = all.FirstOrDefault(s => s.Id == id) ?? throw new NotFoundException("Numbering series", id);
            if (series.Version != c.Version)
                throw new ConflictException($"The series {series.Name} was changed by someone else in the meantime; reload it and apply your change again.");
            var before = new { series.Name, series.Pattern, series.Reset, series.IsDefault };
            var newPattern = pattern ?? series.Pattern;
            var newReset = c.Reset ?? series.Reset;
            if (newPattern != series.Pattern || newReset != series.Reset)
            {
                if (await HasIssuedAsync(series.Id, token))
                    throw new ConflictException($"The series {series.Name} has already numbered documents, so its pattern and reset stay as they are " +
                                                $"(a changed pattern could repeat or skip numbers already printed). Create a new series and make it the default instead.");
                if (NumberingSeries.PatternProblem(newPattern, newReset) is { } problem)
                    throw new ValidationException("pattern", problem);
                EnsureCannotCollide(all, series, newPattern);
            }
            if (name is not null) EnsureUniqueName(all, series, name);
            if (c.IsDefault == false && series.IsDefault)
                throw new ValidationException("isDefault", $"Every document type needs a default series; make another {series.DocumentType} series the default instead.");
            if (c.IsDefault == true && !series.IsDefault) ClearDefault(all.Where(s => s.DocumentType == series.DocumentType), except: series.Id);
            series.Name = name ?? series.Name;
            series.Pattern = newPattern;
            series.Reset = newReset;
            series.IsDefault = c.IsDefault ?? series.IsDefault;
            series.Version = Guid.NewGuid();
            audit.Record("numbering-series.changed", nameof(NumberingSeries), series.Id, new { before, after = new { series.Name, series.Pattern, series.Reset, series.IsDefault } });
            return 0;
        }, ct);
        referenceData.Invalidate();
        return await GetAsync(id, ct);
    }

    private async Task<bool> HasIssuedAsync(Guid seriesId, CancellationToken ct) =>
        await db.NumberingCounters.AnyAsync(n => n.SeriesId == seriesId && n.LastValue > 0, ct)
        || await db.Invoices.AnyAsync(i => i.SeriesId == seriesId && i.Number != null, ct);

    private static void EnsureUniqueName(IEnumerable<NumberingSeries> all, NumberingSeries series, string name)
    {
        if (all.Any(s => s.Id != series.Id && s.DocumentType == series.DocumentType && string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new ValidationException("name", $"A {series.DocumentType} series named {name} already exists.");
    }

    private static void EnsureCannotCollide(IEnumerable<NumberingSeries> all, NumberingSeries series, string pattern)
    {
        if (all.FirstOrDefault(s => s.Id != series.Id && !NumberingSeries.CannotCollide(pattern, s.Pattern)) is { } clash)
            throw new ValidationException("pattern",
                $"The pattern could print the same numbers as the series {clash.Name} ({clash.Pattern}). Start it with text of its own, " +
                $"e.g. a branch prefix such as \"KRK/\", that is not the beginning of \"{NumberingSeries.LeadingLiteral(clash.Pattern)}\" followed by digits.");
    }

    private static void ClearDefault(IEnumerable<NumberingSeries> sameType, Guid except)
    {
        foreach (var other in sameType.Where(s => s.Id != except && s.IsDefault))
        {
            other.IsDefault = false;
            other.Version = Guid.NewGuid();
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex DocumentTypeRegex();
}
