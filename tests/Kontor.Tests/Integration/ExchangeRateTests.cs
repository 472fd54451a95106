using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Kontor.Currencies;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>
/// Rates through the API: import of the sample NBP and CBR files, the art. 31a tax-point rule around a weekend
/// and the 11 November holiday, idempotent and conflicting re-imports, bad files, roles and the fetcher.
/// The samples: NBP tables 217 (Fri 06.11), 218 (Mon 09.11), 219 (Tue 10.11), 220 (Thu 12.11) and 221 (Fri 13.11);
/// no table on 07–08.11 (weekend) or 11.11 (Independence Day). CBR rates set for Sat 21.11 and Tue 24.11.
/// </summary>
public abstract class ExchangeRateTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string NbpWeek = "nbp-a-2026-11-06_2026-11-12.json";
    private const string NbpFriday = "nbp-a-2026-11-13.json";
    private const string CbrSaturday = "cbr-xml-daily-2026-11-21.xml";
    private const string CbrTuesday = "cbr-xml-daily-2026-11-24.xml";

    private static byte[] TestFile(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    private static async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> UploadAsync(HttpClient client, string url, byte[] content, string contentType)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonNode> ImportOkAsync(HttpClient client, string source, string file, string contentType)
    {
        var (status, body, _) = await UploadAsync(client, $"/api/exchange-rates/import?source={source}", TestFile(file), contentType);
        Assert.True(status == HttpStatusCode.OK, $"import of {file}: {(int)status} {body?.ToJsonString()}");
        return body!;
    }

    private async Task<HttpClient> WithNbpTablesAsync()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        await ImportOkAsync(accountant, "nbp", NbpWeek, "application/json");
        await ImportOkAsync(accountant, "nbp", NbpFriday, "application/json");
        return accountant;
    }

    public static TheoryData<string, string, string, string, string, string> TaxPoints() => new()
    {
        // tax point, currency → table used, its date, its rate (from the sample files)
        { "2026-11-07", "EUR", "217/A/NBP/2026", "2026-11-06", "4.2451", "Saturday: Friday's table" },
        { "2026-11-08", "EUR", "217/A/NBP/2026", "2026-11-06", "4.2451", "Sunday: Friday's table" },
        { "2026-11-09", "EUR", "217/A/NBP/2026", "2026-11-06", "4.2451", "Monday: Friday's table" },
        { "2026-11-10", "EUR", "218/A/NBP/2026", "2026-11-09", "4.2387", "Tuesday: Monday's table, not Tuesday's own" },
        { "2026-11-11", "EUR", "219/A/NBP/2026", "2026-11-10", "4.2415", "the holiday itself: the day before" },
        { "2026-11-12", "EUR", "219/A/NBP/2026", "2026-11-10", "4.2415", "the day after the holiday: the last table before it" },
        { "2026-11-13", "EUR", "220/A/NBP/2026", "2026-11-12", "4.2502", "Friday: Thursday's table" },
        { "2026-11-16", "EUR", "221/A/NBP/2026", "2026-11-13", "4.2466", "the next Monday: Friday 13th's table" },
        { "2026-11-12", "USD", "219/A/NBP/2026", "2026-11-10", "3.6870", "another currency of the same table" },
        { "2026-11-10", "IDR", "218/A/NBP/2026", "2026-11-09", "0.00022518", "eight decimals survive the database" },
        { "2026-11-09", "JPY", "217/A/NBP/2026", "2026-11-06", "0.024115", "six decimals" },
    };

    [Theory]
    [MemberData(nameof(TaxPoints))]
    public async Task Tax_point_uses_the_NBP_table_of_the_last_business_day_before_it(string taxPoint, string currency, string table, string tableDate, string rate, string why)
    {
        await WithNbpTablesAsync();
        var sales = await app.ClientAsync(Roles.Sales);

        var applied = await sales.GetOkAsync($"/api/exchange-rates/tax-point?currency={currency}&date={taxPoint}");

        Assert.True((table, tableDate, rate) == (applied.Str("tableNumber"), applied.Str("effectiveDate"), applied.Str("rate")),
            $"{why}: expected {table} of {tableDate} at {rate}, got {applied.ToJsonString()}");
        Assert.Equal(("nbp", currency, "PLN", taxPoint), (applied.Str("source"), applied.Str("currency"), applied.Str("baseCurrency"), applied.Str("requestedDate")));
        Assert.Equal(1, applied["nominal"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("2026-11-06", "the samples hold nothing before Friday 6 November")]
    [InlineData("2026-11-30", "the newest table (13 November) is more than 10 days before")]
    public async Task No_table_within_ten_days_before_the_tax_point_is_404_saying_what_is_missing(string taxPoint, string why)
    {
        await WithNbpTablesAsync();
        var sales = await app.ClientAsync(Roles.Sales);

        var (status, body, contentType) = await sales.SendAsync(HttpMethod.Get, $"/api/exchange-rates/tax-point?currency=EUR&date={taxPoint}");

        Assert.True(status == HttpStatusCode.NotFound, $"{why}: {(int)status} {body?.ToJsonString()}");
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("EUR", body.Str("detail"));
        Assert.Contains(taxPoint, body.Str("detail"));
    }

    [Fact]
    public async Task Importing_the_same_tables_again_changes_nothing()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var first = await ImportOkAsync(accountant, "nbp", NbpWeek, "application/json");
        var rowsAfterFirst = await CountAsync();

        var second = await ImportOkAsync(accountant, "nbp", NbpWeek, "application/json");

        // 4 tables × 12 currencies; whether the first run or an earlier test stored them, they are 48.
        Assert.Equal(48, first["imported"]!.GetValue<int>() + first["unchanged"]!.GetValue<int>());
        Assert.Equal((0, 48), (second["imported"]!.GetValue<int>(), second["unchanged"]!.GetValue<int>()));
        Assert.Equal(["217/A/NBP/2026", "218/A/NBP/2026", "219/A/NBP/2026", "220/A/NBP/2026"], second.Arr("tables").Select(t => t!.GetValue<string>()));
        Assert.Equal(("2026-11-06", "2026-11-12"), (second.Str("from"), second.Str("to")));
        Assert.Equal(rowsAfterFirst, await CountAsync());
        var stored = await app.QueryAsync(db => db.ExchangeRates.CountAsync(r => r.Source == RateSource.Nbp
            && r.EffectiveDate >= new DateOnly(2026, 11, 6) && r.EffectiveDate <= new DateOnly(2026, 11, 12)));
        Assert.Equal(48, stored);
    }

    [Fact]
    public async Task A_file_contradicting_a_stored_rate_is_409_and_imports_nothing()
    {
        var accountant = await WithNbpTablesAsync();
        var before = await CountAsync();
        // Table 217 again, but EUR at 4.2999 instead of 4.2451, and with a currency not stored yet (NOK).
        var forged = """
            {"table":"A","no":"217/A/NBP/2026","effectiveDate":"2026-11-06","rates":[
              {"currency":"korona norweska","code":"NOK","mid":0.3301},
              {"currency":"euro","code":"EUR","mid":4.2999}]}
            """;

        var (status, body, contentType) = await UploadAsync(accountant, "/api/exchange-rates/import?source=nbp", Encoding.UTF8.GetBytes(forged), "application/json");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("application/problem+json", contentType);
        var detail = body.Str("detail");
        Assert.Contains("EUR on 2026-11-06", detail);
        Assert.Contains("4.2451", detail);
        Assert.Contains("4.2999", detail);
        Assert.Equal(before, await CountAsync());
        Assert.False(await app.QueryAsync(db => db.ExchangeRates.AnyAsync(r => r.CurrencyCode == "NOK")));
        var eur = await accountant.GetOkAsync("/api/exchange-rates?source=nbp&currency=EUR&from=2026-11-06&to=2026-11-06");
        Assert.Equal("4.2451", Assert.Single(eur.AsArray())!.Str("rate"));
    }

    [Fact]
    public async Task Cbr_file_keeps_the_nominal_and_the_rate_per_unit()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var result = await ImportOkAsync(accountant, "cbr", CbrSaturday, "application/xml");
        Assert.Equal(8, result["imported"]!.GetValue<int>() + result["unchanged"]!.GetValue<int>());
        Assert.Equal("CBR 21.11.2026", Assert.Single(result.Arr("tables"))!.GetValue<string>());

        var rates = (await accountant.GetOkAsync("/api/exchange-rates?source=cbr&from=2026-11-21&to=2026-11-21")).AsArray();

        var jpy = rates.Single(r => r.Str("currency") == "JPY")!;
        // 100 JPY = 52,3456 RUB → 0.523456 RUB per yen.
        Assert.Equal((100, "0.523456", "52.3456", "RUB", "Японских иен"),
            (jpy["nominal"]!.GetValue<int>(), jpy.Str("rate"), jpy.Str("quotedValue"), jpy.Str("baseCurrency"), jpy.Str("currencyName")));
        var idr = rates.Single(r => r.Str("currency") == "IDR")!;
        // 10 000 IDR = 48,1234 RUB → 0.00481234 RUB per rupiah.
        Assert.Equal((10000, "0.00481234", "48.1234"), (idr["nominal"]!.GetValue<int>(), idr.Str("rate"), idr.Str("quotedValue")));
        var usd = rates.Single(r => r.Str("currency") == "USD")!;
        Assert.Equal((1, "81.0542", "Доллар США"), (usd["nominal"]!.GetValue<int>(), usd.Str("rate"), usd.Str("currencyName")));
    }

    [Theory]
    [InlineData("2026-11-21", "0.523456", "CBR 21.11.2026", "the day the rate is set for")]
    [InlineData("2026-11-23", "0.523456", "CBR 21.11.2026", "Monday: Saturday's rate still holds")]
    [InlineData("2026-11-24", "0.524012", "CBR 24.11.2026", "Tuesday: its own rate")]
    public async Task Cbr_rate_on_a_date_is_the_latest_set_on_or_before_it(string date, string rate, string table, string why)
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        await ImportOkAsync(accountant, "cbr", CbrSaturday, "application/xml");
        await ImportOkAsync(accountant, "cbr", CbrTuesday, "text/xml");

        var applied = await accountant.GetOkAsync($"/api/exchange-rates/on-date?currency=JPY&date={date}&source=cbr");

        Assert.True((rate, table) == (applied.Str("rate"), applied.Str("tableNumber")), $"{why}: {applied.ToJsonString()}");
        Assert.Equal((100, "RUB"), (applied["nominal"]!.GetValue<int>(), applied.Str("baseCurrency")));
    }

    public sealed record BadUpload(string Name, string Query, string Content, string ContentType, string Field, string Fragment)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<BadUpload> BadUploads() => new()
    {
        new("truncated JSON", "source=nbp", """[{"table":"A","no":"217/A/NBP/2026",""", "application/json", "file", "not valid JSON"),
        new("mid as text", "source=nbp", """{"table":"A","no":"1/A/NBP/2026","effectiveDate":"2026-01-02","rates":[{"currency":"euro","code":"EUR","mid":"4,21"}]}""", "application/json", "rates[0].mid", "number"),
        new("table B", "source=nbp", """{"table":"B","no":"1/B/NBP/2026","effectiveDate":"2026-01-07","rates":[{"currency":"afgani","code":"AFN","mid":0.0551}]}""", "application/json", "table", "table A"),
        new("XML not closed", "source=cbr", "<?xml version=\"1.0\"?>\n<ValCurs Date=\"21.11.2026\">\n<Valute>", "application/xml", "file", "line 3"),
        new("CBR value with a letter", "source=cbr", "<?xml version=\"1.0\"?>\n<ValCurs Date=\"21.11.2026\">\n<Valute><CharCode>USD</CharCode><Nominal>1</Nominal><Name>x</Name><Value>8I,05</Value></Valute></ValCurs>", "text/xml", "Valute[0].Value", "line 3"),
        new("empty body", "source=nbp", "", "application/json", "file", "empty"),
        new("no source and no telling content type", "", "{}", "application/octet-stream", "source", "nbp or cbr"),
        new("unknown source", "source=ecb", "{}", "application/json", "source", "'ecb'"),
        new("JSON sent as a CBR file", "source=cbr", "{}", "application/json", "contentType", "application/json"),
        new("manual rates are not a file", "source=manual", "{}", "application/octet-stream", "source", "nbp or cbr"),
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task Bad_upload_is_400_naming_the_problem_and_writes_nothing(BadUpload upload)
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var before = await CountAsync();

        var (status, body, contentType) = await UploadAsync(accountant, "/api/exchange-rates/import?" + upload.Query, Encoding.UTF8.GetBytes(upload.Content), upload.ContentType);

        Assert.True(status == HttpStatusCode.BadRequest, $"{upload.Name}: {(int)status} {body?.ToJsonString()}");
        Assert.Equal("application/problem+json", contentType);
        var errors = body!["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(upload.Field), $"{upload.Name}: expected errors[\"{upload.Field}\"], got {body.ToJsonString()}");
        Assert.Contains(upload.Fragment, string.Join(" ", errors![upload.Field]!.AsArray().Select(m => m!.GetValue<string>())));
        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [InlineData("currency=EUR&date=2026-13-01", "date")]
    [InlineData("currency=EUR", "date")]
    [InlineData("date=2026-11-12", "currency")]
    [InlineData("currency=XYZ&date=2026-11-12", "currency")]
    [InlineData("currency=PLN&date=2026-11-12", "currency")]
    [InlineData("currency=EUR&date=2026-11-12&source=ecb", "source")]
    public async Task Bad_lookup_is_400_naming_the_field(string query, string field)
    {
        var sales = await app.ClientAsync(Roles.Sales);

        var (status, body, _) = await sales.SendAsync(HttpMethod.Get, "/api/exchange-rates/tax-point?" + query);

        Assert.True(status == HttpStatusCode.BadRequest, $"{query}: {(int)status} {body?.ToJsonString()}");
        Assert.NotNull(body!["errors"]?[field]);
    }

    [Fact]
    public async Task Only_the_books_roles_import_while_every_role_reads()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var manager = await app.ClientAsync(Roles.Manager);

        var salesImport = await UploadAsync(sales, "/api/exchange-rates/import?source=nbp", TestFile(NbpFriday), "application/json");
        var managerImport = await UploadAsync(manager, "/api/exchange-rates/import?source=nbp", TestFile(NbpFriday), "application/json");
        var anonymous = await UploadAsync(app.AnonymousClient(), "/api/exchange-rates/import?source=nbp", TestFile(NbpFriday), "application/json");
        var anonymousRead = await app.AnonymousClient().SendAsync(HttpMethod.Get, "/api/exchange-rates");

        Assert.Equal(HttpStatusCode.Forbidden, salesImport.Status);
        Assert.Equal(HttpStatusCode.Forbidden, managerImport.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRead.Status);
        await ImportOkAsync(await app.ClientAsync(Roles.Admin), "nbp", NbpFriday, "application/json");
        var latest = (await sales.GetOkAsync("/api/exchange-rates/latest?source=nbp")).AsArray();
        Assert.Contains(latest, r => r!.Str("currency") == "EUR");
    }

    [Fact]
    public async Task Fetching_is_refused_while_no_address_is_configured()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);

        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, "/api/exchange-rates/fetch?source=nbp&from=2026-11-06&to=2026-11-12");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("ExchangeRates:NbpBaseUrl", body.Str("detail"));
    }

    [Fact]
    public async Task Fetcher_downloads_from_the_configured_addresses_and_imports_like_an_upload()
    {
        var bank = new StubBank(new Dictionary<string, byte[]>
        {
            ["http://nbp.test/api/exchangerates/tables/A/2026-11-06/2026-11-12/?format=json"] = TestFile(NbpWeek),
            ["http://cbr.test/scripts/XML_daily.asp?date_req=24/11/2026"] = TestFile(CbrTuesday),
        });
        await using var host = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("ExchangeRates:NbpBaseUrl", "http://nbp.test/api");
            b.UseSetting("ExchangeRates:CbrUrl", "http://cbr.test/scripts/XML_daily.asp");
            b.ConfigureTestServices(s => s.AddSingleton(new ExchangeRateHttp(bank)));
        });
        var client = host.CreateClient();
        var token = await (await client.PostAsJsonAsync("/api/auth/token", new { email = KontorApp.UserByRole[Roles.Accountant], password = KontorApp.Password }))
            .Content.ReadFromJsonAsync<JsonNode>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Str("accessToken"));

        var nbp = await client.PostOkAsync("/api/exchange-rates/fetch?source=nbp&from=2026-11-06&to=2026-11-12");
        var cbr = await client.PostOkAsync("/api/exchange-rates/fetch?source=cbr&to=2026-11-24");
        var empty = await client.PostOkAsync("/api/exchange-rates/fetch?source=nbp&from=2026-11-07&to=2026-11-08"); // a weekend: the NBP answers 404

        Assert.Equal(["http://nbp.test/api/exchangerates/tables/A/2026-11-06/2026-11-12/?format=json",
                      "http://cbr.test/scripts/XML_daily.asp?date_req=24/11/2026",
                      "http://nbp.test/api/exchangerates/tables/A/2026-11-07/2026-11-08/?format=json"], bank.Requested);
        Assert.Equal(48, nbp["imported"]!.GetValue<int>() + nbp["unchanged"]!.GetValue<int>());
        Assert.Equal(8, cbr["imported"]!.GetValue<int>() + cbr["unchanged"]!.GetValue<int>());
        Assert.Equal((0, 0), (empty["imported"]!.GetValue<int>(), empty["unchanged"]!.GetValue<int>()));
        var applied = await client.GetOkAsync("/api/exchange-rates/tax-point?currency=EUR&date=2026-11-12");
        Assert.Equal("4.2415", applied.Str("rate"));
    }

    /// <summary>Answers the URLs it knows with their file and everything else with 404, like the NBP for a day without a table.</summary>
    private sealed class StubBank(IReadOnlyDictionary<string, byte[]> files) : HttpMessageHandler
    {
        public List<string> Requested { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.OriginalString;
            lock (Requested) Requested.Add(url);
            return Task.FromResult(files.TryGetValue(url, out var file)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(file) }
                : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("404 NotFound - Not Found - Brak danych") });
        }
    }

    private Task<(int Rates, int Audit)> CountAsync() =>
        app.QueryAsync(async db => (await db.ExchangeRates.CountAsync(), await db.AuditEntries.CountAsync()));
}

public sealed class SqliteExchangeRateTests(SqliteApp app) : ExchangeRateTests<SqliteApp>(app);

public sealed class PostgresExchangeRateTests(PostgresApp app) : ExchangeRateTests<PostgresApp>(app);
