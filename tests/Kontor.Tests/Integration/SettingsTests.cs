using System.Net;
using System.Text;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Kontor.Tests.Integration;

/// <summary>Company settings and numbering series: what they change on documents, who may change them, and what they refuse.</summary>
public abstract class SettingsTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static object CompanyBody(System.Text.Json.Nodes.JsonNode current, string? name = null, string? taxId = null, int? term = null,
        string? vat = null, string? language = null, string? version = null) => new
    {
        name = name ?? current.Str("name"),
        taxId = taxId ?? current.Str("taxId"),
        street = current["street"]?.GetValue<string>(),
        postalCode = current["postalCode"]?.GetValue<string>(),
        city = current["city"]?.GetValue<string>(),
        countryCode = current.Str("countryCode"),
        baseCurrency = current.Str("baseCurrency"),
        defaultPaymentTermDays = term ?? current["defaultPaymentTermDays"]!.GetValue<int>(),
        defaultVatRateCode = vat ?? current.Str("defaultVatRateCode"),
        documentLanguage = language ?? current.Str("documentLanguage"),
        version = version ?? current.Str("version"),
    };

    // One test changes the company profile, one after another, so that they do not race on its version.
    [Fact]
    public async Task Company_settings_change_new_documents_only_and_guard_themselves()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var before = await sales.IssueAsync((await sales.CreateDraftAsync(partyId, "100.00")).Id());
        Assert.Equal("Kontor Demo Sp. z o.o.", before["seller"]!.Str("name"));
        Assert.Equal("PL61109010140000071219812874", before["seller"]!.Str("bankAccount"));

        var current = await sales.GetOkAsync("/api/settings/company");
        // A salesperson reads but may not change.
        await sales.ExpectAsync(HttpMethod.Put, "/api/settings/company", CompanyBody(current, name: "Nope"), HttpStatusCode.Forbidden);

        // Bad NIP, bad language, unknown VAT rate: 400 naming each field, nothing changed.
        var (status, problem, _) = await admin.SendAsync(HttpMethod.Put, "/api/settings/company", CompanyBody(current, taxId: "5260250275", vat: "17", language: "de"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["taxId"]);
        Assert.NotNull(problem["errors"]!["defaultVatRateCode"]);
        Assert.NotNull(problem["errors"]!["documentLanguage"]);

        var updated = await admin.ExpectAsync(HttpMethod.Put, "/api/settings/company",
            CompanyBody(current, name: "Nowa Nazwa S.A.", taxId: "526-025-02-74", term: 30, vat: "8", language: "en"), HttpStatusCode.OK);
        Assert.Equal("Nowa Nazwa S.A.", updated.Str("name"));
        Assert.Equal("5260250274", updated.Str("taxId"));
        Assert.NotEqual(current.Str("version"), updated.Str("version"));

        // The old version again: someone else changed it meanwhile.
        await admin.ExpectAsync(HttpMethod.Put, "/api/settings/company", CompanyBody(current, name: "Stale"), HttpStatusCode.Conflict);
        // The base currency is fixed now that an invoice is issued.
        var (currencyStatus, currencyProblem, _) = await admin.SendAsync(HttpMethod.Put, "/api/settings/company", new
        {
            name = "Nowa Nazwa S.A.", taxId = "5260250274", countryCode = "PL", baseCurrency = "EUR", defaultPaymentTermDays = 30,
            defaultVatRateCode = "8", documentLanguage = "en", version = updated.Str("version"),
        });
        Assert.Equal(HttpStatusCode.BadRequest, currencyStatus);
        Assert.Contains("issued", currencyProblem!["errors"]!["baseCurrency"]![0]!.GetValue<string>());

        // Bank accounts: a EUR default; invalid IBAN named.
        var (ibanStatus, ibanProblem, _) = await admin.SendAsync(HttpMethod.Post, "/api/settings/company/bank-accounts", new { name = "Zły", iban = "PL61109010140000071219812875", currency = "PLN" });
        Assert.Equal(HttpStatusCode.BadRequest, ibanStatus);
        Assert.NotNull(ibanProblem!["errors"]!["iban"]);
        await admin.PostCreatedAsync("/api/settings/company/bank-accounts", new { name = "EUR", iban = "DE89 3704 0044 0532 0130 00", currency = "EUR" });

        // New invoices: the new seller data, default term for a party without one, default rate for a free-text line.
        var partyWithoutTerm = await sales.PostCreatedAsync("/api/parties", new
        {
            kind = "Company", name = "Bez terminu", taxIdKind = "Nip", taxId = Builders.UniqueNip(),
            address = new { street = "ul. Krótka 2", postalCode = "00-002", city = "Warszawa", countryCode = "PL" },
        });
        Assert.Equal(30, partyWithoutTerm["paymentTermDays"]!.GetValue<int>());
        var draft = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId = partyWithoutTerm.Id(), currency = "EUR", pricingMode = "Net",
            lines = new[] { new { description = "Consulting", quantity = "1", unitPrice = "100.00" } },
        });
        Assert.Equal("8", draft["lines"]![0]!.Str("vatRateCode"));
        // A Polish seller's EUR invoice needs the NBP rate of the day before the tax point (docs/currencies.md):
        // a one-currency table for Thursday 19.03.2026, made up for this test (the sample files cover November).
        using (var table = new StringContent("""{"table":"A","no":"055/A/NBP/2026","effectiveDate":"2026-03-19","rates":[{"currency":"euro","code":"EUR","mid":4.2600}]}""",
                   System.Text.Encoding.UTF8, "application/json"))
        using (var imported = await admin.PostAsync("/api/exchange-rates/import?source=nbp", table))
            Assert.True(imported.IsSuccessStatusCode, $"rate import: {(int)imported.StatusCode} {await imported.Content.ReadAsStringAsync()}");
        var after = await sales.IssueAsync(draft.Id());
        Assert.Equal("Nowa Nazwa S.A.", after["seller"]!.Str("name"));
        // 100.00 EUR at 8 %: VAT 8.00 EUR × 4.2600 = 34.08 PLN.
        Assert.Equal(("055/A/NBP/2026", 34.08m), (after["exchangeRate"]!.Str("table"), after.Amount("vatInBaseCurrency")));
        Assert.Equal("DE89370400440532013000", after["seller"]!.Str("bankAccount"));
        Assert.Equal(KontorApp.DefaultToday.AddDays(30).ToString("yyyy-MM-dd"), after.Str("dueDate"));
        // A PLN invoice falls back to the PLN default account.
        var pln = await sales.CreateAndIssueAsync(partyId, "10.00");
        Assert.Equal("PL61109010140000071219812874", pln["seller"]!.Str("bankAccount"));

        // The earlier invoice keeps what it was issued with.
        var again = await sales.GetOkAsync($"/api/invoices/{before.Id()}");
        Assert.Equal("Kontor Demo Sp. z o.o.", again["seller"]!.Str("name"));

        // PDF without ?language= is printed in the company's language (en), with ?language=pl in Polish.
        var english = await PdfTextAsync(sales, $"/api/invoices/{after.Id()}/pdf");
        Assert.Contains("invoice", english);
        Assert.DoesNotContain("Faktura", english);
        Assert.Contains("Faktura", await PdfTextAsync(sales, $"/api/invoices/{after.Id()}/pdf?language=pl"));
    }

    [Fact]
    public async Task A_second_series_numbers_independently_and_patterns_are_checked()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var sales = await app.ClientAsync(Roles.Sales);
        var issueDate = new DateOnly(2026, 2, 10);

        await sales.ExpectAsync(HttpMethod.Post, "/api/settings/numbering-series", new { documentType = "invoice", name = "KRK", pattern = "KRK/{yyyy}/{n}", reset = "Yearly" }, HttpStatusCode.Forbidden);
        var (monthly, monthlyProblem, _) = await admin.SendAsync(HttpMethod.Post, "/api/settings/numbering-series", new { documentType = "invoice", name = "M", pattern = "M/{yyyy}/{n}", reset = "Monthly" });
        Assert.Equal(HttpStatusCode.BadRequest, monthly);
        Assert.Contains("{MM}", monthlyProblem!["errors"]!["pattern"]![0]!.GetValue<string>());
        var (noSequence, noSequenceProblem, _) = await admin.SendAsync(HttpMethod.Post, "/api/settings/numbering-series", new { documentType = "invoice", name = "X", pattern = "X/{yyyy}", reset = "Yearly" });
        Assert.Equal(HttpStatusCode.BadRequest, noSequence);
        Assert.NotNull(noSequenceProblem!["errors"]!["pattern"]);
        // Same leading text as the default FV series: could print the same numbers.
        var (clash, clashProblem, _) = await admin.SendAsync(HttpMethod.Post, "/api/settings/numbering-series", new { documentType = "invoice", name = "FV2", pattern = "FV/{yy}/{MM}/{n}", reset = "Monthly" });
        Assert.Equal(HttpStatusCode.BadRequest, clash);
        Assert.NotNull(clashProblem!["errors"]!["pattern"]);

        var krk = await admin.PostCreatedAsync("/api/settings/numbering-series", new { documentType = "invoice", name = "KRK", pattern = "KRK/{yyyy}/{n}", reset = "Yearly" });
        Assert.False(krk["isDefault"]!.GetValue<bool>());
        var partyId = (await sales.CreatePartyAsync()).Id();
        async Task<string> IssueIn(Guid? seriesId) => (await sales.IssueAsync((await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net", issueDate, seriesId,
            lines = new[] { new { description = "Usługa", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        })).Id())).Str("number");
        Assert.Equal("KRK/2026/1", await IssueIn(krk.Id()));
        Assert.Equal("FV/2026/02/1", await IssueIn(null));
        Assert.Equal("KRK/2026/2", await IssueIn(krk.Id()));

        // The pattern of a series that has numbered invoices stays; a new series is the way.
        var listed = (await sales.GetOkAsync("/api/settings/numbering-series?documentType=invoice")).AsArray().Single(s => s!.Str("name") == "KRK")!;
        Assert.Equal(2, listed["issuedCount"]!.GetValue<long>());
        var (changed, changedProblem, _) = await admin.SendAsync(HttpMethod.Put, $"/api/settings/numbering-series/{krk.Id()}", new { pattern = "KRK/{yyyy}/{n:4}", version = listed.Str("version") });
        Assert.Equal(HttpStatusCode.Conflict, changed);
        Assert.Contains("new series", changedProblem!.Str("detail"));

        // Rename and make default; a stale version is refused.
        var renamed = await admin.ExpectAsync(HttpMethod.Put, $"/api/settings/numbering-series/{krk.Id()}", new { name = "Kraków", isDefault = true, version = listed.Str("version") }, HttpStatusCode.OK);
        Assert.True(renamed["isDefault"]!.GetValue<bool>());
        await admin.ExpectAsync(HttpMethod.Put, $"/api/settings/numbering-series/{krk.Id()}", new { name = "Again", version = listed.Str("version") }, HttpStatusCode.Conflict);
        Assert.Equal("KRK/2026/3", await IssueIn(null));
        var fv = (await sales.GetOkAsync("/api/settings/numbering-series")).AsArray().Single(s => s!.Str("name") == "FV")!;
        Assert.False(fv["isDefault"]!.GetValue<bool>());
        await admin.ExpectAsync(HttpMethod.Put, $"/api/settings/numbering-series/{fv.Id()}", new { isDefault = true, version = fv.Str("version") }, HttpStatusCode.OK);
    }

    private static async Task<string> PdfTextAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = new StringBuilder();
        foreach (var page in pdf.GetPages()) text.Append(page.Text);
        return text.ToString();
    }
}

public sealed class SqliteSettingsTests(SqliteApp app) : SettingsTests<SqliteApp>(app);

public sealed class PostgresSettingsTests(PostgresApp app) : SettingsTests<PostgresApp>(app);
