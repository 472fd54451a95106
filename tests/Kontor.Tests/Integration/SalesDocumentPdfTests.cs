using System.Net;
using System.Net.Http.Headers;
using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Integration;

/// <summary>
/// GET /api/offers/{id}/pdf and /api/orders/{id}/pdf, read back with PdfPig; and the document language chosen
/// per customer (request &gt; customer &gt; company).
/// </summary>
public abstract class SalesDocumentPdfTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string PolishBuyer = "Zakład „Żółć” ąćęłńóśźż Sp. z o.o.";
    private const string CyrillicBuyer = "ООО «Щедрый Ёжик» Съешь ещё";

    private static async Task<(Guid PartyId, string Nip)> CreateBuyerAsync(HttpClient client, string name, string? documentLanguage = null)
    {
        var nip = Builders.UniqueNip();
        var party = await client.PostCreatedAsync("/api/parties", new
        {
            kind = "Company", name, taxIdKind = "Nip", taxId = nip,
            address = new { street = "ul. Świętokrzyska 11/13", postalCode = "00-360", city = "Warszawa", countryCode = "PL" },
            paymentTermDays = 21, documentLanguage,
        });
        return (party.Id(), nip);
    }

    private static async Task<(byte[] Body, string? FileName)> PdfAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(body, 0, 5));
        return (body, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    private static async Task<string> TextAsync(HttpClient client, string url) => PdfText.All((await PdfAsync(client, url)).Body);

    [Fact]
    public async Task Sent_offer_in_polish_has_its_title_validity_parties_and_totals_and_no_invoice_wording()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 3));
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, nip) = await CreateBuyerAsync(sales, PolishBuyer);
        // 2 × 7 500,00 at 23 % = 15 000,00 + 3 450,00; 1 × 100,00 at 8 % = 100,00 + 8,00; 1 × 200,00 reverse charge (oo).
        // Net 15 300,00, VAT 3 458,00, gross 18 758,00 — over the split-payment threshold, to a NIP buyer, with an oo line:
        // an invoice would carry both annotations, an offer carries neither.
        var offer = await sales.PostCreatedAsync("/api/offers", new
        {
            partyId, currency = "PLN", pricingMode = "Net", notes = "Cena obejmuje dojazd.",
            lines = new object[]
            {
                new { description = "Wdrożenie — usługa", quantity = "2", unitPrice = "7500.00", vatRateCode = "23", unit = "usł." },
                new { description = "Dojazd", quantity = "1", unitPrice = "100.00", vatRateCode = "8" },
                new { description = "Roboty budowlane", quantity = "1", unitPrice = "200.00", vatRateCode = "oo" },
            },
        });
        var number = (await sales.PostOkAsync($"/api/offers/{offer.Id()}/send")).Str("number");

        var (pdf, fileName) = await PdfAsync(sales, $"/api/offers/{offer.Id()}/pdf?language=pl");
        var text = PdfText.All(pdf);

        Assert.Equal(number.Replace('/', '_') + ".pdf", fileName);
        Assert.Contains("Oferta", text);
        Assert.Contains("nr " + number, text);
        Assert.Contains("Data oferty: 03.08.2026", text);
        Assert.Contains("Ważna do: 17.08.2026", text); // 3 August + 14 days
        Assert.Contains("NIP: 5260250274", text);
        Assert.Contains("NIP: " + nip, text);
        Assert.Contains(PolishBuyer, text);
        Assert.Contains("ul. Świętokrzyska 11/13", text);
        Assert.Contains("23% 15 000,00 3 450,00 18 450,00", text);
        Assert.Contains("8% 100,00 8,00 108,00", text);
        Assert.Contains("oo 200,00 0,00 200,00", text);
        Assert.Contains("15 300,00 3 458,00 18 758,00", text);
        Assert.Contains("Wartość oferty: 18 758,00 PLN", text);
        Assert.Contains("osiemnaście tysięcy siedemset pięćdziesiąt osiem złotych 00/100", text);
        Assert.Contains("Termin płatności: 21 dni", text);
        Assert.Contains("Cena obejmuje dojazd.", text);
        Assert.Contains("Strona 1/1", text);
        Assert.DoesNotContain("Faktura", text);
        Assert.DoesNotContain("mechanizm podzielonej płatności", text);
        Assert.DoesNotContain("odwrotne obciążenie", text);
        Assert.DoesNotContain("Data dostawy", text);
        Assert.DoesNotContain("Do zapłaty", text);
        Assert.Equal([""], PdfText.RotatedText(pdf));
    }

    [Fact]
    public async Task Offer_in_russian_and_english_keeps_cyrillic_and_polish_letters()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 10));
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, nip) = await CreateBuyerAsync(sales, CyrillicBuyer);
        var offer = await sales.PostCreatedAsync("/api/offers", new
        {
            partyId, currency = "PLN", pricingMode = "Net", validUntil = "2026-09-30",
            lines = new object[] { new { description = "Usługa wdrożeniowa — łącznie", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" } },
        });
        var number = (await sales.PostOkAsync($"/api/offers/{offer.Id()}/send")).Str("number");

        var russian = await TextAsync(sales, $"/api/offers/{offer.Id()}/pdf?language=ru");
        var english = await TextAsync(sales, $"/api/offers/{offer.Id()}/pdf?language=EN");

        Assert.Contains("Коммерческое предложение", russian);
        Assert.Contains("№ " + number, russian);
        Assert.Contains(CyrillicBuyer, russian);
        Assert.Contains("Usługa wdrożeniowa — łącznie", russian);
        Assert.Contains("NIP: " + nip, russian);
        Assert.Contains("Действительно до: 30.09.2026", russian);
        Assert.Contains("23% 1 000,00 230,00 1 230,00", russian);
        Assert.Contains("Сумма предложения: 1 230,00 PLN", russian);
        Assert.Contains("одна тысяча двести тридцать PLN 00/100", russian);
        Assert.DoesNotContain("Счёт-фактура", russian);
        Assert.Contains("Offer", english);
        Assert.Contains("Valid until: 2026-09-30", english);
        Assert.Contains("Offer value: 1,230.00 PLN", english);
        Assert.Contains(CyrillicBuyer, english);
    }

    [Fact]
    public async Task Draft_offer_is_watermarked_and_unnumbered()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 12));
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, _) = await CreateBuyerAsync(sales, "Szkicowa Oferta Sp. z o.o.");
        var offer = await sales.PostCreatedAsync("/api/offers", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { description = "Konsultacja", quantity = "1", unitPrice = "50.00", vatRateCode = "23" } },
        });

        var (pdf, fileName) = await PdfAsync(sales, $"/api/offers/{offer.Id()}/pdf?language=pl");
        var text = PdfText.All(pdf);

        Assert.Equal(["SZKIC"], PdfText.RotatedText(pdf));
        Assert.Contains("bez numeru", text);
        Assert.Contains("Szkic — dokument roboczy, oferta nie została jeszcze wysłana", text);
        Assert.Contains("Data oferty: przy wysłaniu", text);
        Assert.Contains("61,50 PLN", text); // 50,00 + 23 %
        Assert.DoesNotContain("nie jest fakturą", text);
        Assert.StartsWith("SZKIC_", fileName);
    }

    [Fact]
    public async Task Order_in_polish_and_russian_shows_its_date_status_and_totals()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 17));
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, nip) = await CreateBuyerAsync(sales, "ООО «Ёжик» Заказчик");
        // 3 × 120,00 −10 % = 324,00 at 8 % → 25,92 VAT, 349,92 gross.
        var order = await sales.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net", notes = "Dostawa do magazynu w Łodzi.",
            lines = new object[] { new { description = "Papier ksero A4 (karton)", quantity = "3", unitPrice = "120.00", discountPercent = "10", vatRateCode = "8", unit = "kart." } },
        });
        var number = order.Str("number");
        await sales.PostOkAsync($"/api/orders/{order.Id()}/status", new { status = "InProgress" });

        var (pdf, fileName) = await PdfAsync(sales, $"/api/orders/{order.Id()}/pdf?language=pl");
        var polish = PdfText.All(pdf);
        var russian = await TextAsync(sales, $"/api/orders/{order.Id()}/pdf?language=ru");

        Assert.Equal(number.Replace('/', '_') + ".pdf", fileName);
        Assert.StartsWith("ZAM/2026/08/", number);
        Assert.Contains("Zamówienie", polish);
        Assert.Contains("nr " + number, polish);
        Assert.Contains("Data zamówienia: 17.08.2026", polish);
        Assert.Contains("Status: w realizacji", polish);
        Assert.Contains("NIP: 5260250274", polish);
        Assert.Contains("NIP: " + nip, polish);
        Assert.Contains("8% 324,00 25,92 349,92", polish);
        Assert.Contains("Wartość zamówienia: 349,92 PLN", polish);
        Assert.Contains("trzysta czterdzieści dziewięć złotych 92/100", polish);
        Assert.Contains("Dostawa do magazynu w Łodzi.", polish);
        Assert.DoesNotContain("Faktura", polish);
        Assert.DoesNotContain("Do zapłaty", polish);
        Assert.Contains("Заказ", russian);
        Assert.Contains("Статус: в работе", russian);
        Assert.Contains("ООО «Ёжик» Заказчик", russian);
        Assert.Contains("Сумма заказа: 349,92 PLN", russian);
        Assert.DoesNotContain("Счёт-фактура", russian);
    }

    [Fact]
    public async Task Bad_language_is_400_naming_language_and_unknown_documents_are_404()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 18));
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, _) = await CreateBuyerAsync(sales, "Firma Błędna Sp. z o.o.");
        var offer = await sales.PostCreatedAsync("/api/offers", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { description = "X", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        });
        var order = await sales.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { description = "Y", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        });

        foreach (var url in new[] { $"/api/offers/{offer.Id()}/pdf?language=de", $"/api/orders/{order.Id()}/pdf?language=xx" })
        {
            var (status, body, _) = await sales.SendAsync(HttpMethod.Get, url);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.NotNull(body?["errors"]?["language"]);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await sales.SendAsync(HttpMethod.Get, $"/api/offers/{Guid.NewGuid()}/pdf")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await sales.SendAsync(HttpMethod.Get, $"/api/orders/{Guid.NewGuid()}/pdf")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().SendAsync(HttpMethod.Get, $"/api/offers/{offer.Id()}/pdf")).Status);
    }

    [Fact]
    public async Task Language_is_the_requested_one_else_the_customers_else_the_companys()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 19));
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, _) = await CreateBuyerAsync(sales, "Language Preference Ltd", documentLanguage: "en");
        Assert.Equal("en", (await sales.GetOkAsync($"/api/parties/{partyId}")).Str("documentLanguage"));
        var order = await sales.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { description = "Widget", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        });
        var invoice = await sales.CreateAndIssueAsync(partyId, "10.00");

        // The customer's language when the request names none; the request wins when it does.
        Assert.Contains("Order value", await TextAsync(sales, $"/api/orders/{order.Id()}/pdf"));
        Assert.Contains("VAT invoice", await TextAsync(sales, $"/api/invoices/{invoice.Id()}/pdf"));
        Assert.Contains("Wartość zamówienia", await TextAsync(sales, $"/api/orders/{order.Id()}/pdf?language=pl"));

        var changed = await sales.ExpectAsync(HttpMethod.Put, $"/api/parties/{partyId}/document-language", new { documentLanguage = "ru" }, HttpStatusCode.OK);
        Assert.Equal("ru", changed.Str("documentLanguage"));
        Assert.Contains("Сумма заказа", await TextAsync(sales, $"/api/orders/{order.Id()}/pdf"));
        Assert.Contains("Счёт-фактура", await TextAsync(sales, $"/api/invoices/{invoice.Id()}/pdf"));

        // Cleared: the company's document language (Polish in the test company).
        var cleared = await sales.ExpectAsync(HttpMethod.Put, $"/api/parties/{partyId}/document-language", new { documentLanguage = (string?)null }, HttpStatusCode.OK);
        Assert.Null(cleared["documentLanguage"]);
        Assert.Contains("Wartość zamówienia", await TextAsync(sales, $"/api/orders/{order.Id()}/pdf"));

        var (badStatus, badBody, _) = await sales.SendAsync(HttpMethod.Put, $"/api/parties/{partyId}/document-language", new { documentLanguage = "de" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.NotNull(badBody?["errors"]?["documentLanguage"]);
        Assert.Null((await sales.GetOkAsync($"/api/parties/{partyId}"))["documentLanguage"]); // nothing half-written
        var (createStatus, createBody, _) = await sales.SendAsync(HttpMethod.Post, "/api/parties", new { kind = "Company", name = "Zła Firma", documentLanguage = "fr" });
        Assert.Equal(HttpStatusCode.BadRequest, createStatus);
        Assert.NotNull(createBody?["errors"]?["documentLanguage"]);
        Assert.Equal(HttpStatusCode.NotFound,
            (await sales.SendAsync(HttpMethod.Put, $"/api/parties/{Guid.NewGuid()}/document-language", new { documentLanguage = "en" })).Status);
    }
}

public sealed class SqliteSalesDocumentPdfTests(SqliteApp app) : SalesDocumentPdfTests<SqliteApp>(app);

public sealed class PostgresSalesDocumentPdfTests(PostgresApp app) : SalesDocumentPdfTests<PostgresApp>(app);
