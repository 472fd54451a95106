using System.ComponentModel;
using Kontor.Common;
using Kontor.Currencies;
using Kontor.Security;

namespace Kontor.Web.Api;

[Description("One published exchange rate. rate is the value of 1 unit in baseCurrency; quotedValue is what the table prints for nominal units.")]
public sealed record ExchangeRateDto(string Source, string TableNumber, DateOnly EffectiveDate, string Currency, string CurrencyName,
    string BaseCurrency, int Nominal, string Rate, string QuotedValue)
{
    public static ExchangeRateDto Of(ExchangeRate r) => new(SourceText(r.Source), r.TableNumber, r.EffectiveDate, r.CurrencyCode, r.CurrencyName,
        r.BaseCurrency, r.Nominal, ExchangeRates.Format(r.Rate), ExchangeRates.Format(r.QuotedValue));

    internal static string SourceText(RateSource source) => source.ToString().ToLowerInvariant();
}

[Description("The rate a document uses: from table tableNumber of effectiveDate, for the requested date.")]
public sealed record AppliedRateDto(string Source, string Currency, string BaseCurrency, string Rate, int Nominal, string TableNumber,
    DateOnly EffectiveDate, DateOnly RequestedDate, string Rule)
{
    public static AppliedRateDto Of(AppliedRate r, string rule) => new(ExchangeRateDto.SourceText(r.Source), r.CurrencyCode, r.BaseCurrency,
        ExchangeRates.Format(r.Rate), r.Nominal, r.TableNumber, r.EffectiveDate, r.RequestedDate, rule);
}

public sealed record ImportResultDto(string Source, int Imported, int Unchanged, IReadOnlyList<string> Tables, DateOnly? From, DateOnly? To)
{
    public static ImportResultDto Of(ImportResult r) => new(ExchangeRateDto.SourceText(r.Source), r.Imported, r.Unchanged, r.Tables, r.From, r.To);
}

/// <summary>Exchange rates: import of NBP/CBR files, optional fetch, listing and the rate a tax point uses.</summary>
public static class ExchangeRateEndpoints
{
    private const string TaxPointRule = "art. 31a ustawy o VAT: NBP table A average rate of the last business day before the tax point";
    private const string OnDateRule = "the latest rate set on or before the date";

    public static void MapExchangeRateApi(this IEndpointRouteBuilder app)
    {
        var rates = app.MapGroup("/api/exchange-rates").WithTags("Exchange rates").RequireAuthorization();

        rates.MapPost("/import", async (HttpRequest request, string? source, ExchangeRateImporter importer, CancellationToken ct) =>
            {
                var chosen = SourceForUpload(source, request.ContentType);
                var body = await ReadBodyAsync(request, ct);
                return TypedResults.Ok(ImportResultDto.Of(await importer.ImportAsync(chosen, body, ct)));
            })
            .RequireAuthorization(Policies.PostToBooks)
            .Accepts<string>("application/json", "application/xml", "text/xml", "application/octet-stream")
            .WithSummary("Import an NBP table A file (JSON as api.nbp.pl returns it) or a CBR XML_daily file (XML, windows-1251) sent as the request body. " +
                         "Same rates again: counted as unchanged; a different value for a stored rate: 409, nothing imported.");

        rates.MapPost("/fetch", async (string? source, string? from, string? to, ExchangeRateFetcher fetcher, CancellationToken ct) =>
            {
                var errors = new ValidationErrors();
                var chosen = RateInput.Source(source, errors, required: true);
                var first = RateInput.Date(from, errors, "from");
                var last = RateInput.Date(to, errors, "to");
                errors.Require(chosen is null or RateSource.Nbp or RateSource.Cbr, "source", "source: only nbp or cbr can be fetched.");
                errors.ThrowIfAny();
                var result = chosen == RateSource.Nbp ? await fetcher.FetchNbpAsync(first, last, ct) : await fetcher.FetchCbrAsync(last ?? first, ct);
                return TypedResults.Ok(ImportResultDto.Of(result));
            })
            .RequireAuthorization(Policies.PostToBooks)
            .WithSummary("Download and import rates from the addresses in ExchangeRates:NbpBaseUrl / ExchangeRates:CbrUrl (409 when not configured). " +
                         "nbp: from..to (default the last 10 days); cbr: the date in 'to' (default today).");

        rates.MapGet("", async (string? currency, string? from, string? to, string? source, int? take, ExchangeRates lookup, CancellationToken ct) =>
            {
                var errors = new ValidationErrors();
                var filter = new RateFilter(RateInput.Source(source, errors), RateInput.CurrencyCode(currency, errors),
                    RateInput.Date(from, errors, "from"), RateInput.Date(to, errors, "to"), take ?? 500);
                errors.ThrowIfAny();
                return TypedResults.Ok((await lookup.ListAsync(filter, ct)).Select(ExchangeRateDto.Of).ToList());
            })
            .RequireAuthorization(Policies.Sell)
            .WithSummary("Stored rates, newest first; every filter optional (source nbp|cbr, currency, from/to as yyyy-MM-dd, take ≤ 5000).");

        rates.MapGet("/latest", async (string? source, ExchangeRates lookup, CancellationToken ct) =>
            {
                var errors = new ValidationErrors();
                var chosen = RateInput.Source(source, errors, RateSource.Nbp);
                errors.ThrowIfAny();
                return TypedResults.Ok((await lookup.LatestAsync(chosen!.Value, ct)).Select(ExchangeRateDto.Of).ToList());
            })
            .RequireAuthorization(Policies.Sell)
            .WithSummary("The newest stored rate of each currency of a source (default nbp).");

        rates.MapGet("/tax-point", async (string? currency, string? date, string? source, ExchangeRates lookup, CancellationToken ct) =>
            {
                var (code, day, chosen) = LookupInput(currency, date, source, RateSource.Nbp);
                return TypedResults.Ok(AppliedRateDto.Of(await lookup.ForTaxPointAsync(code, day, chosen, ct), TaxPointRule));
            })
            .RequireAuthorization(Policies.Sell)
            .WithSummary("The rate for converting VAT of a foreign-currency invoice with tax point 'date': the latest table strictly before that date (404 when none in the 10 days before).");

        rates.MapGet("/on-date", async (string? currency, string? date, string? source, ExchangeRates lookup, CancellationToken ct) =>
            {
                var (code, day, chosen) = LookupInput(currency, date, source, RateSource.Cbr);
                return TypedResults.Ok(AppliedRateDto.Of(await lookup.OnDateAsync(code, day, chosen, ct), OnDateRule));
            })
            .RequireAuthorization(Policies.Sell)
            .WithSummary("The rate in force on 'date' (default source cbr): the latest rate set on or before it.");
    }

    private static (string Currency, DateOnly Date, RateSource Source) LookupInput(string? currency, string? date, string? source, RateSource fallback)
    {
        var errors = new ValidationErrors();
        var code = RateInput.CurrencyCode(currency, errors, required: true);
        var day = RateInput.Date(date, errors, "date", required: true);
        var chosen = RateInput.Source(source, errors, fallback);
        errors.ThrowIfAny();
        return (code!, day!.Value, chosen!.Value);
    }

    /// <summary>The source named in the query, or the one the content type implies (JSON: NBP, XML: CBR); a contradiction is refused.</summary>
    private static RateSource SourceForUpload(string? source, string? contentType)
    {
        var errors = new ValidationErrors();
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        RateSource? implied = mediaType switch
        {
            "application/json" or "text/json" => RateSource.Nbp,
            "application/xml" or "text/xml" => RateSource.Cbr,
            _ => null,
        };
        var chosen = RateInput.Source(source, errors, implied, required: true);
        errors.Require(chosen is null or RateSource.Nbp or RateSource.Cbr, "source", "source: only nbp or cbr files can be imported.");
        if (chosen is not null && implied is not null && chosen != implied)
            errors.Add("contentType", $"contentType: {mediaType} does not fit a {chosen.Value.ToString().ToUpperInvariant()} file ({(chosen == RateSource.Nbp ? "application/json" : "application/xml or text/xml")}).");
        errors.ThrowIfAny();
        return chosen!.Value;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > ExchangeRateImporter.MaxFileBytes)
            throw new ValidationException(RateFiles.FileField, $"The file is larger than {ExchangeRateImporter.MaxFileBytes / 1024 / 1024} MB.");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > ExchangeRateImporter.MaxFileBytes)
                throw new ValidationException(RateFiles.FileField, $"The file is larger than {ExchangeRateImporter.MaxFileBytes / 1024 / 1024} MB.");
        }
        return buffer.ToArray();
    }
}
