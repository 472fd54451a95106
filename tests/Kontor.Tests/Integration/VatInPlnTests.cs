using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// Art. 31a / art. 106e ust. 11 ustawy o VAT: a Polish seller's EUR invoice states its VAT in PLN at the NBP table-A
/// rate of the last business day BEFORE the tax point (sale date, else issue date). The rates come from the sample
/// files imported through the API: EUR 4.2451 (217, Fri 06.11), 4.2387 (218, Mon 09.11), 4.2415 (219, Tue 10.11),
/// 4.2502 (220, Thu 12.11), 4.2466 (221, Fri 13.11); no table on 07–08.11 (weekend) or Wed 11.11 (Independence Day).
/// Every invoice here: 1000.00 EUR at 23 % (VAT 230.00 EUR) and 333.33 EUR at 8 % (VAT 26.6664 → 26.67 EUR).
/// </summary>
public abstract class VatInPlnTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static byte[] TestFile(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    private async Task ImportNbpTablesAsync()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        foreach (var file in new[] { "nbp-a-2026-11-06_2026-11-12.json", "nbp-a-2026-11-13.json" })
        {
            using var body = new ByteArrayContent(TestFile(file));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await accountant.PostAsync("/api/exchange-rates/import?source=nbp", body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"import of {file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A sales client on <paramref name="today"/>, with the NBP tables imported.</summary>
    private async Task<HttpClient> SalesOnAsync(DateOnly today)
    {
        await ImportNbpTablesAsync();
        app.Clock.SetDate(today);
        return await app.ClientAsync(Roles.Sales);
    }

    private static async Task<JsonNode> CreateDraftAsync(HttpClient client, string currency, DateOnly? saleDate, string quantity = "1", string unitPrice = "1000.00")
    {
        var partyId = (await client.CreatePartyAsync()).Id();
        return await client.PostCreatedAsync("/api/invoices", new
        {
            partyId,
            currency,
            pricingMode = "Net",
            saleDate,
            lines = new object[]
            {
                new { description = "Licencja", quantity, unitPrice, vatRateCode = "23" },
                new { description = "Szkolenie", quantity = "1", unitPrice = "333.33", vatRateCode = "8" },
            },
        });
    }

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private static decimal VatPlnOfRate(JsonNode invoice, string code) =>
        invoice.Arr("vatTotals").Single(v => v.Str("vatRateCode") == code)!.Amount("vatInBaseCurrency");

    public static TheoryData<string?, string, string, string, string, string, string, string> TaxPoints() => new()
    {
        // sale date (null: the issue date is the tax point), issue date → table, its date, rate, PLN VAT 23 %, PLN VAT 8 %, total
        // Monday 09.11 → Friday 06.11: 230.00 × 4.2451 = 976.373 → 976.37; 26.67 × 4.2451 = 113.216817 → 113.22; 1089.59.
        { "2026-11-09", "2026-11-13", "217/A/NBP/2026", "2026-11-06", "4.2451", "976.37", "113.22", "1089.59" },
        // Thursday 12.11, the day after the 11.11 holiday → Tuesday 10.11: 230.00 × 4.2415 = 975.545 → 975.55; 26.67 × 4.2415 = 113.120805 → 113.12; 1088.67.
        { "2026-11-12", "2026-11-13", "219/A/NBP/2026", "2026-11-10", "4.2415", "975.55", "113.12", "1088.67" },
        // Wednesday 11.11 → Tuesday's table 10.11 (the samples' only Wednesday is the holiday; the rule is the same): as above.
        { "2026-11-11", "2026-11-13", "219/A/NBP/2026", "2026-11-10", "4.2415", "975.55", "113.12", "1088.67" },
        // Tuesday 10.11 → Monday 09.11, although Tuesday's own table 219 is imported: 230.00 × 4.2387 = 974.901 → 974.90;
        // 26.67 × 4.2387 = 113.046129 → 113.05; 1087.95.
        { "2026-11-10", "2026-11-13", "218/A/NBP/2026", "2026-11-09", "4.2387", "974.90", "113.05", "1087.95" },
        // Friday 13.11 → Thursday 12.11, not Friday's own 221: 230.00 × 4.2502 = 977.546 → 977.55; 26.67 × 4.2502 = 113.352834 → 113.35; 1090.90.
        { "2026-11-13", "2026-11-16", "220/A/NBP/2026", "2026-11-12", "4.2502", "977.55", "113.35", "1090.90" },
        // No sale date: the issue date, Tuesday 10.11, is the tax point → Monday's table, as two rows up.
        { null, "2026-11-10", "218/A/NBP/2026", "2026-11-09", "4.2387", "974.90", "113.05", "1087.95" },
    };

    [Theory]
    [MemberData(nameof(TaxPoints))]
    public async Task EUR_invoice_states_its_VAT_in_PLN_at_the_NBP_rate_of_the_last_business_day_before_the_tax_point(
        string? saleDate, string issueDate, string table, string tableDate, string rate, string vat23, string vat8, string vatTotal)
    {
        var sales = await SalesOnAsync(DateOnly.ParseExact(issueDate, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var draft = await CreateDraftAsync(sales, "EUR", saleDate is null ? null : DateOnly.ParseExact(saleDate, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Null(draft["exchangeRate"]);

        var invoice = await sales.IssueAsync(draft.Id());

        Assert.Equal((230.00m, 26.67m), (invoice.Arr("vatTotals").Single(v => v.Str("vatRateCode") == "23")!.Amount("vat"), invoice.Arr("vatTotals").Single(v => v.Str("vatRateCode") == "8")!.Amount("vat")));
        var applied = invoice["exchangeRate"]!;
        Assert.Equal((rate, table, tableDate, "PLN"), (applied.Str("rate"), applied.Str("table"), applied.Str("date"), applied.Str("baseCurrency")));
        Assert.Equal(D(vat23), VatPlnOfRate(invoice, "23"));
        Assert.Equal(D(vat8), VatPlnOfRate(invoice, "8"));
        Assert.Equal(D(vatTotal), invoice.Amount("vatInBaseCurrency"));
        Assert.Equal("PLN", invoice["vatInBaseCurrency"]!.Str("currency"));

        // Stored, not computed on the way out: read back as the API gives it.
        var read = await sales.GetOkAsync($"/api/invoices/{invoice.Id()}");
        Assert.Equal((rate, table), (read["exchangeRate"]!.Str("rate"), read["exchangeRate"]!.Str("table")));
        Assert.Equal(D(vatTotal), read.Amount("vatInBaseCurrency"));
    }

    [Fact]
    public async Task EUR_invoice_and_payment_are_booked_in_EUR_and_in_PLN()
    {
        // Sale Monday 09.11, issued 13.11 → NBP 217/A of Friday 06.11, EUR 4.2451.
        var sales = await SalesOnAsync(new DateOnly(2026, 11, 13));
        var draft = await CreateDraftAsync(sales, "EUR", new DateOnly(2026, 11, 9));
        var invoice = await sales.IssueAsync(draft.Id());
        // EUR: net 1000.00 + 333.33 = 1333.33, VAT 230.00 + 26.67 = 256.67, gross 1590.00.
        Assert.Equal((1333.33m, 256.67m, 1590.00m), (invoice.Amount("totalNet"), invoice.Amount("totalVat"), invoice.Amount("totalGross")));

        // PLN: VAT as the invoice states it, 976.37 + 113.22 = 1089.59; net 1333.33 × 4.2451 = 5660.119183 → 5660.12;
        // receivable = net + VAT = 6749.71 (1590.00 × 4.2451 = 6749.709 would round to the same here).
        var accountant = await app.ClientAsync(Roles.Accountant);
        var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={invoice.Id()}")).AsArray())!;
        Assert.Equal(("PLN", "4.2451", "217/A/NBP/2026", "2026-11-06"), (entry.Str("baseCurrency"), entry.Str("exchangeRate"), entry.Str("exchangeRateTable"), entry.Str("exchangeRateDate")));
        AssertLine(entry, "201", debit: (1590.00m, 6749.71m), credit: (0m, 0m));
        AssertLine(entry, "700", debit: (0m, 0m), credit: (1333.33m, 5660.12m));
        AssertLine(entry, "221", debit: (0m, 0m), credit: (256.67m, 1089.59m));

        // Paid on Friday 13.11: booked at the NBP rate of the day before, Thursday 12.11 (220/A, 4.2502):
        // 1590.00 × 4.2502 = 6757.818 → 6757.82. The receivable carried 6749.71 PLN, so 6757.82 − 6749.71 = 8.11 PLN
        // is the realised exchange gain (1590.00 × (4.2502 − 4.2451) = 8.109 → 8.11), posted in the same transaction:
        // Dr 201 8.11 / Cr 750 8.11, in PLN.
        var partyId = Guid.Parse(draft.Str("partyId"));
        var payment = await accountant.PostCreatedAsync("/api/payments", new
        {
            partyId, date = "2026-11-13", amount = new { amount = "1590.00", currency = "EUR" }, reference = "SWIFT 1590 EUR",
        });
        var entries = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={payment.Id()}")).AsArray();
        Assert.Equal(2, entries.Count);
        var paid = entries.Single(e => e.Str("sourceType") == "payment")!;
        Assert.Equal(("4.2502", "220/A/NBP/2026"), (paid.Str("exchangeRate"), paid.Str("exchangeRateTable")));
        AssertLine(paid, "130", debit: (1590.00m, 6757.82m), credit: (0m, 0m));
        AssertLine(paid, "201", debit: (0m, 0m), credit: (1590.00m, 6757.82m));
        var difference = entries.Single(e => e.Str("sourceType") == "fx-difference")!;
        Assert.Equal("2026-11-13", difference.Str("date"));
        var lines = difference.Arr("lines").Select(l => (l.Str("accountCode"), l!["debit"]!.Str("currency"), l.Amount("debit"), l.Amount("credit"), l.Amount("baseDebit"), l.Amount("baseCredit")))
            .OrderBy(l => l.Item1).ToList();
        Assert.Equal([("201", "PLN", 8.11m, 0m, 8.11m, 0m), ("750", "PLN", 0m, 8.11m, 0m, 8.11m)], lines);

        // Account 201 of the party: zero in EUR and zero in PLN.
        var receivables = await app.QueryAsync(db => db.JournalLines.Where(l => l.PartyId == partyId && l.AccountCode == "201").ToListAsync());
        Assert.Equal(0m, receivables.Where(l => l.Currency == "EUR").Sum(l => l.Debit - l.Credit));
        Assert.Equal(0m, receivables.Sum(l => l.BaseDebit - l.BaseCredit));

        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance?asOf=2026-11-30");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        Assert.Equal("PLN", trialBalance.Str("baseCurrency"));
        Assert.Equal(trialBalance["bookTotal"].Amount("debit"), trialBalance["bookTotal"].Amount("credit"));
        var eurBank = trialBalance.Arr("rows").Single(r => r.Str("accountCode") == "130" && r!["debit"]!.Str("currency") == "EUR")!;
        Assert.True(eurBank.Amount("baseDebit") >= 6757.82m);
        var bookBank = trialBalance.Arr("bookRows").Single(r => r.Str("accountCode") == "130")!;
        Assert.Equal("PLN", bookBank["debit"]!.Str("currency"));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task A_foreign_currency_payment_without_a_rate_to_book_it_is_refused_and_nothing_is_written()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var partyId = (await accountant.CreatePartyAsync()).Id();
        // No table in the ten days before 20.12 (the samples end on 13.11).
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, "/api/payments", new
        {
            partyId, date = "2026-12-20", amount = new { amount = "100.00", currency = "EUR" }, reference = "EUR bez kursu",
        });
        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains("Cannot book EUR in PLN on 2026-12-20", body!["detail"]!.GetValue<string>());
        var overview = await accountant.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(0m, overview.Amount("unallocatedPayments"));
        Assert.Empty(overview.Arr("balancesByCurrency"));
    }

    private static void AssertLine(JsonNode entry, string account, (decimal Amount, decimal Pln) debit, (decimal Amount, decimal Pln) credit)
    {
        var line = entry.Arr("lines").Single(l => l.Str("accountCode") == account)!;
        Assert.Equal((debit, credit), ((line.Amount("debit"), line.Amount("baseDebit")), (line.Amount("credit"), line.Amount("baseCredit"))));
        Assert.Equal(("EUR", "PLN"), (line["debit"]!.Str("currency"), line["baseDebit"]!.Str("currency")));
    }

    [Fact]
    public async Task Without_an_NBP_rate_before_the_tax_point_the_invoice_is_not_issued_and_nothing_is_posted()
    {
        // The samples end on 13.11; 01.12 looks back to 21.11 only.
        var sales = await SalesOnAsync(new DateOnly(2026, 12, 1));
        var draft = await CreateDraftAsync(sales, "EUR", new DateOnly(2026, 12, 1));

        var (status, body, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{draft.Id()}/issue");

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {body?.ToJsonString()}");
        var message = body!["errors"]!["saleDate"]![0]!.GetValue<string>();
        Assert.Contains("No NBP rate for EUR before 2026-12-01", message);
        Assert.Contains("import table A", message);
        var stillDraft = await sales.GetOkAsync($"/api/invoices/{draft.Id()}");
        Assert.Equal("Draft", stillDraft.Str("status"));
        Assert.Null(stillDraft["number"]);
        Assert.Null(stillDraft["exchangeRate"]);
        var accountant = await app.ClientAsync(Roles.Accountant);
        Assert.Empty((await accountant.GetOkAsync($"/api/ledger/entries?documentId={draft.Id()}")).AsArray());

        // The number was given back: the next invoice of December takes the first one.
        var pln = await sales.IssueAsync((await CreateDraftAsync(sales, "PLN", null)).Id());
        Assert.Equal("FV/2026/12/1", pln.Str("number"));
    }

    [Fact]
    public async Task PLN_invoice_has_no_rate_and_no_VAT_in_base_currency()
    {
        var sales = await SalesOnAsync(new DateOnly(2026, 11, 12));
        var invoice = await sales.IssueAsync((await CreateDraftAsync(sales, "PLN", new DateOnly(2026, 11, 12))).Id());

        Assert.Equal("Issued", invoice.Str("status"));
        Assert.Null(invoice["exchangeRate"]);
        Assert.Null(invoice["vatInBaseCurrency"]);
        Assert.All(invoice.Arr("vatTotals"), v => Assert.Null(v!["vatInBaseCurrency"]));
    }

    [Fact]
    public async Task PDF_of_an_EUR_invoice_prints_the_NBP_rate_and_the_VAT_in_PLN_in_each_language()
    {
        var sales = await SalesOnAsync(new DateOnly(2026, 11, 13));
        var invoice = await sales.IssueAsync((await CreateDraftAsync(sales, "EUR", new DateOnly(2026, 11, 12))).Id());

        var pl = await PdfTextAsync(sales, invoice.Id(), "pl");
        Assert.Contains("Kurs NBP z dnia 10.11.2026 (tabela 219/A/NBP/2026): 4,2415 PLN/EUR", pl);
        Assert.Contains("VAT w PLN (23%): 975,55 PLN", pl);
        Assert.Contains("VAT w PLN (8%): 113,12 PLN", pl);
        Assert.Matches(@"VAT w PLN \(Razem\): 1\s?088,67 PLN", pl);

        var en = await PdfTextAsync(sales, invoice.Id(), "en");
        Assert.Contains("NBP rate of 2026-11-10 (table 219/A/NBP/2026): 4.2415 PLN/EUR", en);
        Assert.Contains("VAT in PLN (23%): 975.55 PLN", en);

        var ru = await PdfTextAsync(sales, invoice.Id(), "ru");
        Assert.Contains("Курс НБП от 10.11.2026 (таблица 219/A/NBP/2026)", ru);
        Assert.Contains("НДС в PLN (23%): 975,55 PLN", ru);

        // A PLN invoice prints no such line.
        var plnInvoice = await sales.IssueAsync((await CreateDraftAsync(sales, "PLN", new DateOnly(2026, 11, 12))).Id());
        var plnText = await PdfTextAsync(sales, plnInvoice.Id(), "pl");
        Assert.DoesNotContain("Kurs NBP", plnText);
        Assert.DoesNotContain("VAT w PLN", plnText);
    }

    [Fact]
    public async Task Correction_of_an_EUR_invoice_uses_the_corrected_invoices_rate()
    {
        // Invoice: sale 12.11 → 219/A/NBP/2026 of 10.11 at 4.2415; line 1: 2 × 500.00 EUR = 1000.00, VAT 230.00 EUR.
        var sales = await SalesOnAsync(new DateOnly(2026, 11, 13));
        var invoice = await sales.IssueAsync((await CreateDraftAsync(sales, "EUR", new DateOnly(2026, 11, 12), quantity: "2", unitPrice: "500.00")).Id());
        Assert.Equal("4.2415", invoice["exchangeRate"]!.Str("rate"));

        // A week later (today's tax-point rate would be 221's 4.2466) one unit is returned: 23 % after 500.00 / 115.00,
        // difference −115.00 EUR × 4.2415 = −487.7725 → −487.77 PLN; the 8 % rate is unchanged: 0.00 PLN.
        app.Clock.SetDate(new DateOnly(2026, 11, 20));
        sales = await app.ClientAsync(Roles.Sales);
        var draft = await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections",
            new { reason = "Zwrot 1 licencji", lines = new[] { new { position = 1, quantity = "1" } } });
        var correction = await sales.IssueAsync(draft.Id());

        Assert.Equal(("4.2415", "219/A/NBP/2026", "2026-11-10"), (correction["exchangeRate"]!.Str("rate"), correction["exchangeRate"]!.Str("table"), correction["exchangeRate"]!.Str("date")));
        Assert.Equal(-115.00m, correction.Amount("totalVat"));
        Assert.Equal(-487.77m, VatPlnOfRate(correction, "23"));
        Assert.Equal(0.00m, VatPlnOfRate(correction, "8"));
        Assert.Equal(-487.77m, correction.Amount("vatInBaseCurrency"));
    }

    private static async Task<string> PdfTextAsync(HttpClient client, Guid invoiceId, string language)
    {
        using var response = await client.GetAsync($"/api/invoices/{invoiceId}/pdf?language={language}");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        return PdfText.All(body);
    }
}

public sealed class SqliteVatInPlnTests(SqliteApp app) : VatInPlnTests<SqliteApp>(app);

public sealed class PostgresVatInPlnTests(PostgresApp app) : VatInPlnTests<PostgresApp>(app);
