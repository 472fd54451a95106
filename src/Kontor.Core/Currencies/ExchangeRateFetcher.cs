using System.Globalization;
using System.Net;
using Kontor.Common;
using Kontor.Company;
using Microsoft.Extensions.Options;

namespace Kontor.Currencies;

/// <summary>"ExchangeRates" configuration. An empty address switches that source's fetching off (files can still be imported).</summary>
public sealed class ExchangeRateOptions
{
    /// <summary>Base of the NBP web API, e.g. "https://api.nbp.pl/api/".</summary>
    public string? NbpBaseUrl { get; set; }

    /// <summary>The CBR daily file, e.g. "https://www.cbr.ru/scripts/XML_daily.asp".</summary>
    public string? CbrUrl { get; set; }
}

/// <summary>
/// The one HttpClient the fetcher uses, shared by the host (a client per call would exhaust sockets). Tests
/// register their own with a stub handler.
/// </summary>
public sealed class ExchangeRateHttp(HttpMessageHandler handler) : IDisposable
{
    public ExchangeRateHttp() : this(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(15) }) { }

    public HttpClient Client { get; } = new(handler) { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => Client.Dispose();
}

/// <summary>
/// Downloads the banks' files from the configured addresses and hands them to <see cref="ExchangeRateImporter"/>,
/// so a fetched table passes the same checks and the same idempotent import as an uploaded one.
/// </summary>
public sealed class ExchangeRateFetcher(ExchangeRateHttp http, IOptions<ExchangeRateOptions> options, ExchangeRateImporter importer, BusinessCalendar calendar)
{
    /// <summary>The NBP API answers at most 93 days per request.</summary>
    public const int MaxNbpDays = 93;

    public bool IsEnabled(RateSource source) => source switch
    {
        RateSource.Nbp => !string.IsNullOrWhiteSpace(options.Value.NbpBaseUrl),
        RateSource.Cbr => !string.IsNullOrWhiteSpace(options.Value.CbrUrl),
        _ => false,
    };

    /// <summary>NBP table A for every business day from <paramref name="from"/> to <paramref name="to"/> (default: the last 10 days).</summary>
    public async Task<ImportResult> FetchNbpAsync(DateOnly? from = null, DateOnly? to = null, CancellationToken ct = default)
    {
        var baseUrl = Require(RateSource.Nbp, options.Value.NbpBaseUrl);
        var last = to ?? calendar.Today();
        var first = from ?? last.AddDays(-ExchangeRates.MaxLookbackDays);
        if (first > last) throw new ValidationException("from", $"from ({first:yyyy-MM-dd}) is after to ({last:yyyy-MM-dd}).");
        if (last.DayNumber - first.DayNumber + 1 > MaxNbpDays)
            throw new ValidationException("from", $"The NBP serves at most {MaxNbpDays} days per request; fetch a shorter range.");
        var url = new Uri(new Uri(WithSlash(baseUrl)), $"exchangerates/tables/A/{first:yyyy-MM-dd}/{last:yyyy-MM-dd}/?format=json");
        var body = await GetAsync(url, ct);
        // The NBP answers 404 "Brak danych" when the range holds no table (a long weekend): nothing to import.
        return body is null ? new ImportResult(RateSource.Nbp, 0, 0, [], null, null) : await importer.ImportAsync(RateSource.Nbp, body, ct);
    }

    /// <summary>The CBR rates set for <paramref name="date"/> (default: today).</summary>
    public async Task<ImportResult> FetchCbrAsync(DateOnly? date = null, CancellationToken ct = default)
    {
        var address = Require(RateSource.Cbr, options.Value.CbrUrl);
        var day = date ?? calendar.Today();
        var separator = address.Contains('?') ? '&' : '?';
        var url = new Uri($"{address}{separator}date_req={day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}");
        var body = await GetAsync(url, ct) ?? throw new ConflictException($"The CBR at {url.GetLeftPart(UriPartial.Path)} has no rates for {day:yyyy-MM-dd}.");
        return await importer.ImportAsync(RateSource.Cbr, body, ct);
    }

    private string Require(RateSource source, string? address)
    {
        if (!IsEnabled(source))
            throw new ConflictException($"Fetching {source.ToString().ToUpperInvariant()} rates is switched off: ExchangeRates:{(source == RateSource.Nbp ? "NbpBaseUrl" : "CbrUrl")} is empty. Import a file instead.");
        return address!.Trim();
    }

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";

    private async Task<byte[]?> GetAsync(Uri url, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.Client.GetAsync(url, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ConflictException($"Could not reach {url.GetLeftPart(UriPartial.Path)}: {ex.Message}");
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
                throw new ConflictException($"{url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            return await response.Content.ReadAsByteArrayAsync(ct);
        }
    }
}
