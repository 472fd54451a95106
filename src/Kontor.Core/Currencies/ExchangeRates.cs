using System.Globalization;
using Kontor.Common;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Currencies;

/// <summary>The rate a document uses, with where it comes from (printed on the invoice next to the PLN VAT).</summary>
public sealed record AppliedRate(RateSource Source, string CurrencyCode, string BaseCurrency, decimal Rate, int Nominal,
    string TableNumber, DateOnly EffectiveDate, DateOnly RequestedDate)
{
    /// <summary>
    /// <paramref name="amount"/> in <see cref="CurrencyCode"/> expressed in <see cref="BaseCurrency"/>, rounded half away
    /// from zero to the base currency's minor units (grosz for PLN), as art. 106e(11) VAT in PLN is stated.
    /// </summary>
    public decimal ToBase(decimal amount) =>
        decimal.Round(amount * Rate, Currency.Parse(BaseCurrency).MinorUnits, MidpointRounding.AwayFromZero);
}

/// <summary>Filter of <see cref="ExchangeRates.ListAsync"/>; every part optional.</summary>
public sealed record RateFilter(RateSource? Source = null, string? CurrencyCode = null, DateOnly? From = null, DateOnly? To = null, int Take = 500);

/// <summary>Looks rates up. Which day's rate applies is decided by the data: days without a table have no rows.</summary>
public sealed class ExchangeRates(KontorDbContext db)
{
    /// <summary>
    /// How far back a rate may come from. The longest run of days without an NBP table is about five (Easter,
    /// or Christmas to the weekend); beyond ten days the tables were simply not imported, and a stale rate
    /// would put a wrong amount of VAT on an invoice.
    /// </summary>
    public const int MaxLookbackDays = 10;

    /// <summary>
    /// Art. 31a ustawy o VAT: an amount in a foreign currency is converted at the NBP average rate of the last
    /// business day before the tax point — the latest table published strictly before <paramref name="taxPoint"/>.
    /// </summary>
    /// <exception cref="NotFoundException">No table in the <see cref="MaxLookbackDays"/> days before.</exception>
    public async Task<AppliedRate> ForTaxPointAsync(string? currency, DateOnly taxPoint, RateSource source = RateSource.Nbp, CancellationToken ct = default)
    {
        var code = CheckCurrency(currency, source);
        var earliest = taxPoint.AddDays(-MaxLookbackDays);
        var rate = await db.ExchangeRates.AsNoTracking()
            .Where(r => r.Source == source && r.CurrencyCode == code && r.EffectiveDate < taxPoint && r.EffectiveDate >= earliest)
            .OrderByDescending(r => r.EffectiveDate)
            .FirstOrDefaultAsync(ct);
        return rate is null
            ? throw new NotFoundException($"{SourceName(source)} rate of {code} for the last business day before the tax point (searched {earliest:yyyy-MM-dd} to {taxPoint.AddDays(-1):yyyy-MM-dd}; import the tables)", taxPoint.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            : Applied(rate, taxPoint);
    }

    /// <summary>
    /// The rate in force on <paramref name="date"/>: the latest table effective on or before it. For the CBR the
    /// rate set for a Saturday also holds on Sunday and Monday, which this gives without a calendar.
    /// </summary>
    public async Task<AppliedRate> OnDateAsync(string? currency, DateOnly date, RateSource source = RateSource.Cbr, CancellationToken ct = default)
    {
        var code = CheckCurrency(currency, source);
        var earliest = date.AddDays(-MaxLookbackDays);
        var rate = await db.ExchangeRates.AsNoTracking()
            .Where(r => r.Source == source && r.CurrencyCode == code && r.EffectiveDate <= date && r.EffectiveDate >= earliest)
            .OrderByDescending(r => r.EffectiveDate)
            .FirstOrDefaultAsync(ct);
        return rate is null
            ? throw new NotFoundException($"{SourceName(source)} rate of {code} in force (searched {earliest:yyyy-MM-dd} to {date:yyyy-MM-dd}; import the rates)", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            : Applied(rate, date);
    }

    public async Task<IReadOnlyList<ExchangeRate>> ListAsync(RateFilter filter, CancellationToken ct = default)
    {
        if (filter.From is { } f && filter.To is { } t && f > t)
            throw new ValidationException("from", $"from ({f:yyyy-MM-dd}) is after to ({t:yyyy-MM-dd}).");
        var query = db.ExchangeRates.AsNoTracking();
        if (filter.Source is { } source) query = query.Where(r => r.Source == source);
        if (filter.CurrencyCode is { } code) query = query.Where(r => r.CurrencyCode == code);
        if (filter.From is { } from) query = query.Where(r => r.EffectiveDate >= from);
        if (filter.To is { } to) query = query.Where(r => r.EffectiveDate <= to);
        return await query.OrderByDescending(r => r.EffectiveDate).ThenBy(r => r.Source).ThenBy(r => r.CurrencyCode)
            .Take(Math.Clamp(filter.Take, 1, 5000)).ToListAsync(ct);
    }

    /// <summary>The newest rate of each currency of <paramref name="source"/> (from the last 31 days of its tables).</summary>
    public async Task<IReadOnlyList<ExchangeRate>> LatestAsync(RateSource source, CancellationToken ct = default)
    {
        var newest = await db.ExchangeRates.AsNoTracking().Where(r => r.Source == source)
            .OrderByDescending(r => r.EffectiveDate).Select(r => (DateOnly?)r.EffectiveDate).FirstOrDefaultAsync(ct);
        if (newest is null) return [];
        var since = newest.Value.AddDays(-31);
        var recent = await db.ExchangeRates.AsNoTracking().Where(r => r.Source == source && r.EffectiveDate >= since).ToListAsync(ct);
        return recent.GroupBy(r => r.CurrencyCode)
            .Select(g => g.MaxBy(r => r.EffectiveDate)!)
            .OrderBy(r => r.CurrencyCode, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>"4.2512", "0.00022561": at least four decimals, as the banks print them, and no trailing zeros beyond.</summary>
    public static string Format(decimal rate) => rate.ToString("0.0000######", CultureInfo.InvariantCulture);

    public static string BaseCurrencyOf(RateSource source) => source switch
    {
        RateSource.Nbp => "PLN",
        RateSource.Cbr => "RUB",
        _ => "",
    };

    private static string CheckCurrency(string? currency, RateSource source)
    {
        var code = Currency.Parse(currency ?? "").Code;
        if (code == BaseCurrencyOf(source))
            throw new ValidationException("currency", $"{code} is the currency {SourceName(source)} rates are expressed in; it needs no rate.");
        return code;
    }

    private static string SourceName(RateSource source) => source switch
    {
        RateSource.Nbp => Messages.Translate("NBP table A"),
        RateSource.Cbr => Messages.Translate("CBR"),
        _ => source.ToString(),
    };

    private static AppliedRate Applied(ExchangeRate rate, DateOnly requested) =>
        new(rate.Source, rate.CurrencyCode, rate.BaseCurrency, rate.Rate, rate.Nominal, rate.TableNumber, rate.EffectiveDate, requested);
}

/// <summary>Turns the text of a query string or form into the service's inputs, with field-named errors.</summary>
public static class RateInput
{
    /// <summary>"nbp" | "cbr" | "manual" (any case); null/empty gives <paramref name="fallback"/> or, without one, an error.</summary>
    public static RateSource? Source(string? text, ValidationErrors errors, RateSource? fallback = null, bool required = false, string field = "source")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required && fallback is null) errors.Add(field, $"{field} is required: nbp or cbr.");
            return fallback;
        }
        if (Enum.TryParse<RateSource>(text.Trim(), ignoreCase: true, out var source) && Enum.IsDefined(source) && !int.TryParse(text, out _))
            return source;
        errors.Add(field, $"{field}: '{text.Trim()}' is not a rate source; use nbp or cbr.");
        return null;
    }

    public static DateOnly? Date(string? text, ValidationErrors errors, string field, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) errors.Add(field, $"{field} is required (yyyy-MM-dd).");
            return null;
        }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors.Add(field, $"{field}: '{text.Trim()}' is not a date in the form yyyy-MM-dd.");
        return null;
    }

    public static string? CurrencyCode(string? text, ValidationErrors errors, bool required = false, string field = "currency")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) errors.Add(field, $"{field} is required (ISO 4217 code, e.g. EUR).");
            return null;
        }
        // Stored rates may be for codes Kontor does not invoice in (XDR), so the filter takes any three letters.
        var code = text.Trim().ToUpperInvariant();
        if (code.Length == 3 && code.All(char.IsAsciiLetterUpper)) return code;
        errors.Add(field, $"{field}: '{text.Trim()}' is not a three-letter ISO 4217 code.");
        return null;
    }
}
