using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Currencies;

/// <summary>What one import did: rows new to the database, rows already there with the same value, and the tables seen.</summary>
public sealed record ImportResult(RateSource Source, int Imported, int Unchanged, IReadOnlyList<string> Tables, DateOnly? From, DateOnly? To);

/// <summary>
/// Stores the rates of a bank file. All or nothing: the file is read completely first, then written in one
/// transaction. Importing a table again changes nothing; a table that says something else for a rate already
/// stored is refused (409) — published rates are not revised, so the file is wrong or not the bank's.
/// </summary>
public sealed class ExchangeRateImporter(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Largest file accepted: a year of NBP tables as JSON is about 1 MB.</summary>
    public const int MaxFileBytes = 10 * 1024 * 1024;

    public async Task<ImportResult> ImportAsync(RateSource source, ReadOnlyMemory<byte> file, CancellationToken ct = default)
    {
        if (file.Length > MaxFileBytes)
            throw new ValidationException(RateFiles.FileField, $"The file is larger than {MaxFileBytes / 1024 / 1024} MB.");
        var rates = RateFiles.Parse(source, file);
        try
        {
            return await StoreAsync(source, rates, ct);
        }
        catch (DbUpdateException)
        {
            // Someone imported the same table at the same moment and won the unique key; with their rows
            // in place this run finds them unchanged (or conflicting), as if it had come second.
            return await StoreAsync(source, rates, ct);
        }
    }

    private Task<ImportResult> StoreAsync(RateSource source, IReadOnlyList<PublishedRate> rates, CancellationToken ct) =>
        unitOfWork.ExecuteAsync(async token =>
        {
            var dates = rates.Select(r => r.EffectiveDate).Distinct().ToList();
            var existing = (await db.ExchangeRates.AsNoTracking()
                    .Where(r => r.Source == source && dates.Contains(r.EffectiveDate))
                    .ToListAsync(token))
                .ToDictionary(r => (r.CurrencyCode, r.EffectiveDate));

            var conflicts = new List<string>();
            var unchanged = 0;
            var now = clock.GetUtcNow();
            var added = new List<ExchangeRate>();
            foreach (var rate in rates)
            {
                if (existing.TryGetValue((rate.CurrencyCode, rate.EffectiveDate), out var stored))
                {
                    if (stored.Rate == rate.Rate && stored.Nominal == rate.Nominal && stored.TableNumber == rate.TableNumber) unchanged++;
                    else conflicts.Add(Messages.Format("{0} on {1:yyyy-MM-dd}: stored {2}, file says {3}", rate.CurrencyCode, rate.EffectiveDate,
                        Describe(stored.Rate, stored.Nominal, stored.TableNumber), Describe(rate.Rate, rate.Nominal, rate.TableNumber)));
                    continue;
                }
                added.Add(new ExchangeRate
                {
                    Source = source, TableNumber = rate.TableNumber, EffectiveDate = rate.EffectiveDate, CurrencyCode = rate.CurrencyCode,
                    CurrencyName = rate.CurrencyName, BaseCurrency = rate.BaseCurrency, Nominal = rate.Nominal, Rate = rate.Rate, ImportedAt = now,
                });
            }
            if (conflicts.Count > 0)
            {
                var bank = source.ToString().ToUpperInvariant();
                var listed = string.Join("; ", conflicts.Take(5));
                if (conflicts.Count > 5)
                    throw new ConflictException($"The file contradicts {conflicts.Count} stored {bank} rate(s); published rates are never revised, so nothing was imported. {listed}; and {conflicts.Count - 5} more.");
                throw new ConflictException($"The file contradicts {conflicts.Count} stored {bank} rate(s); published rates are never revised, so nothing was imported. {listed}.");
            }

            db.ExchangeRates.AddRange(added);
            var tables = rates.Select(r => r.TableNumber).Distinct().ToList();
            var result = new ImportResult(source, added.Count, unchanged, tables, dates.Min(), dates.Max());
            if (added.Count > 0)
                audit.Record("ExchangeRatesImported", nameof(ExchangeRate), $"{source}:{result.From:yyyy-MM-dd}..{result.To:yyyy-MM-dd}",
                    new { source = source.ToString(), result.Imported, result.Unchanged, tables });
            return result;
        }, ct);

    private static string Describe(decimal rate, int nominal, string table) => nominal == 1
        ? Messages.Format("{0} in table {1}", ExchangeRates.Format(rate), table)
        : Messages.Format("{0} per unit ({1} units) in table {2}", ExchangeRates.Format(rate), nominal, table);
}
