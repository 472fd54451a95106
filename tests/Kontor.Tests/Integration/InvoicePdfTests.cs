using System.Net;
using System.Net.Http.Headers;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Kontor.Tests.Integration;

/// <summary>Text of a PDF as a reader would copy it: the words of each page joined by single spaces.</summary>
public static class PdfText
{
    public static IReadOnlyList<string> Pages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToList();
    }

    public static string All(byte[] pdf) => string.Join("\n", Pages(pdf));

    /// <summary>The letters drawn at an angle on each page (the draft watermark), in drawing order.</summary>
    public static IReadOnlyList<string> RotatedText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages()
            .Select(p => string.Concat(p.Letters.Where(l => l.TextOrientation == UglyToad.PdfPig.Content.TextOrientation.Other).Select(l => l.Value)))
            .ToList();
    }
}

/// <summary>GET /api/invoices/{id}/pdf: issued and draft invoices rendered from the database, read back with PdfPig.</summary>
public abstract class InvoicePdfTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string PolishBuyer = "Zakład „Żółć” ąćęłńóśźż Sp. z o.o.";

    private async Task<(Guid PartyId, string Nip)> CreateBuyerAsync(HttpClient client, string name)
    {
        var nip = Builders.UniqueNip();
        var party = await client.PostCreatedAsync("/api/parties", new
        {
            kind = "Company", name, taxIdKind = "Nip", taxId = nip,
            address = new { street = "ul. Świętokrzyska 11/13", postalCode = "00-360", city = "Warszawa", countryCode = "PL" },
            paymentTermDays = 14,
        });
        return (party.Id(), nip);
    }

    private static async Task<(HttpStatusCode Status, byte[] Body, string? ContentType, ContentDispositionHeaderValue? Disposition)> GetPdfAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentDisposition);
    }

    private async Task<byte[]> PdfOkAsync(HttpClient client, Guid invoiceId, string? language = null)
    {
        var (status, body, contentType, _) = await GetPdfAsync(client, $"/api/invoices/{invoiceId}/pdf" + (language is null ? "" : "?language=" + language));
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {System.Text.Encoding.UTF8.GetString(body)}");
        Assert.Equal("application/pdf", contentType);
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(body, 0, 5));
        return body;
    }

    [Fact]
    public async Task Issued_invoice_in_polish_carries_number_parties_totals_per_rate_and_amount_in_words()
    {
        app.Clock.SetDate(new DateOnly(2026, 3, 20));
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, nip) = await CreateBuyerAsync(sales, PolishBuyer);
        // 2 × 1 234,50 at 23 % = 2 469,00 net + 567,87 VAT = 3 036,87; 1 × 100,00 at 8 % = 100,00 + 8,00 = 108,00.
        // Invoice: net 2 569,00, VAT 575,87, gross 3 144,87.
        var draft = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net", notes = "Płatne przelewem.",
            lines = new object[]
            {
                new { description = "Wdrożenie — usługa", quantity = "2", unitPrice = "1234.50", vatRateCode = "23", unit = "usł." },
                new { description = "Dojazd", quantity = "1", unitPrice = "100.00", vatRateCode = "8" },
            },
        });
        var issued = await sales.IssueAsync(draft.Id());
        var number = issued.Str("number");

        var (status, body, contentType, disposition) = await GetPdfAsync(sales, $"/api/invoices/{draft.Id()}/pdf");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/pdf", contentType);
        Assert.Equal("attachment", disposition?.DispositionType);
        Assert.Equal(number.Replace('/', '_') + ".pdf", disposition?.FileName?.Trim('"'));
        var text = PdfText.All(body);
        Assert.Contains("Faktura VAT", text);
        Assert.Contains(number, text);
        Assert.Contains("NIP: 5260250274", text); // the seller
        Assert.Contains("NIP: " + nip, text);
        Assert.Contains(PolishBuyer, text);
        Assert.Contains("ul. Świętokrzyska 11/13", text);
        Assert.Contains("00-360 Warszawa", text);
        Assert.Contains("SPRZEDAWCA", text);
        Assert.Contains("NABYWCA", text);
        Assert.Contains("20.03.2026", text);
        Assert.Contains("03.04.2026", text); // due: 20 March + 14 days
        Assert.Contains("23% 2 469,00 567,87 3 036,87", text); // summary row of 23 %
        Assert.Contains("8% 100,00 8,00 108,00", text);         // summary row of 8 %
        Assert.Contains("2 569,00 575,87 3 144,87", text);      // totals
        Assert.Contains("3 144,87 PLN", text);
        Assert.Contains("trzy tysiące sto czterdzieści cztery złote 87/100", text);
        Assert.Contains("przelew", text);
        Assert.Contains("PL61 1090 1014 0000 0712 1981 2874", text);
        Assert.Contains("Płatne przelewem.", text);
        Assert.Contains("Strona 1/1", text);
        Assert.DoesNotContain("mechanizm podzielonej płatności", text);
        Assert.Equal([""], PdfText.RotatedText(body)); // no watermark on the issued document

        var english = PdfText.All(await PdfOkAsync(sales, draft.Id(), "en"));
        Assert.Contains("VAT invoice", english);
        Assert.Contains("2,569.00 575.87 3,144.87", english);
        Assert.Contains("three thousand one hundred forty-four PLN 87/100", english);
        Assert.Contains(PolishBuyer, english);
    }

    [Fact]
    public async Task Russian_document_for_a_cyrillic_buyer_keeps_every_letter()
    {
        app.Clock.SetDate(new DateOnly(2026, 3, 20));
        var sales = await app.ClientAsync(Roles.Sales);
        const string name = "ООО «Щедрый Ёжик» Съешь ещё";
        var (partyId, nip) = await CreateBuyerAsync(sales, name);
        var issued = await sales.CreateAndIssueAsync(partyId, "1000.00", "23"); // 1 000,00 + 230,00 VAT = 1 230,00

        var text = PdfText.All(await PdfOkAsync(sales, issued.Id(), "ru"));

        Assert.Contains("Счёт-фактура", text);
        Assert.Contains(issued.Str("number"), text);
        Assert.Contains(name, text);
        Assert.Contains("NIP: " + nip, text);
        Assert.Contains("23% 1 000,00 230,00 1 230,00", text);
        Assert.Contains("одна тысяча двести тридцать PLN 00/100", text);
        Assert.Contains("ПОКУПАТЕЛЬ", text);
        Assert.Contains("К оплате", text);
    }

    [Fact]
    public async Task Split_payment_annotation_from_15000_pln_gross_for_a_business_buyer()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, _) = await CreateBuyerAsync(sales, "Hurtownia Progowa Sp. z o.o.");
        // 12 195,12 net × 23 % = 2 804,8776 → 2 804,88 VAT: gross exactly 15 000,00.
        var atThreshold = await sales.CreateAndIssueAsync(partyId, "12195.12", "23");
        // 12 195,11 net × 23 % = 2 804,8753 → 2 804,88 VAT: gross 14 999,99.
        var below = await sales.CreateAndIssueAsync(partyId, "12195.11", "23");
        Assert.Equal(15000.00m, atThreshold.Amount("totalGross"));
        Assert.Equal(14999.99m, below.Amount("totalGross"));

        var marked = PdfText.All(await PdfOkAsync(sales, atThreshold.Id()));
        var unmarked = PdfText.All(await PdfOkAsync(sales, below.Id()));

        Assert.Contains("mechanizm podzielonej płatności", marked);
        Assert.Contains("15 000,00 PLN", marked);
        Assert.Contains("piętnaście tysięcy złotych 00/100", marked);
        Assert.DoesNotContain("mechanizm podzielonej płatności", unmarked);
        Assert.Contains("14 999,99 PLN", unmarked);
    }

    [Fact]
    public async Task Reverse_charge_lines_print_oo_and_the_annotation()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, _) = await CreateBuyerAsync(sales, "Budimex Odwrotny S.A.");
        var issued = await sales.CreateAndIssueAsync(partyId, "800.00", "oo");

        var text = PdfText.All(await PdfOkAsync(sales, issued.Id()));

        Assert.Contains("oo 800,00 0,00 800,00", text);
        Assert.Contains("odwrotne obciążenie", text);
    }

    [Fact]
    public async Task A_120_line_invoice_flows_over_pages_numbered_n_of_total()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, _) = await CreateBuyerAsync(sales, "Sieć Sklepów Wielostronicowa Sp. z o.o.");
        var lines = Enumerable.Range(1, 120).Select(i => new { description = $"Artykuł numer {i}", quantity = "1", unitPrice = "10.00", vatRateCode = "23" }).ToArray();
        var draft = await sales.PostCreatedAsync("/api/invoices", new { partyId, currency = "PLN", pricingMode = "Net", lines });
        await sales.IssueAsync(draft.Id());

        var pages = PdfText.Pages(await PdfOkAsync(sales, draft.Id()));

        Assert.True(pages.Count >= 3, $"120 lines on {pages.Count} page(s)");
        for (var i = 0; i < pages.Count; i++) Assert.Contains($"Strona {i + 1}/{pages.Count}", pages[i]);
        Assert.Contains("Artykuł numer 1 ", pages[0]);
        Assert.Contains("Artykuł numer 120", string.Join(" ", pages));
        Assert.Contains("Nazwa towaru lub usługi", pages[1]); // the header repeated on the next page
        Assert.Contains("1 200,00 276,00 1 476,00", pages[^1]); // 120 × 10,00 net, 23 % VAT
    }

    [Fact]
    public async Task A_draft_renders_watermarked_without_a_number()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, nip) = await CreateBuyerAsync(sales, "Szkicowa Firma Sp. z o.o.");
        var draft = await sales.CreateDraftAsync(partyId, "50.00");

        var (status, body, _, disposition) = await GetPdfAsync(sales, $"/api/invoices/{draft.Id()}/pdf?language=pl");

        Assert.Equal(HttpStatusCode.OK, status);
        var text = PdfText.All(body);
        Assert.Equal(["SZKIC"], PdfText.RotatedText(body));
        Assert.Contains("Szkic — dokument roboczy", text);
        Assert.Contains("bez numeru", text);
        Assert.Contains("NIP: " + nip, text);
        Assert.Contains("61,50 PLN", text); // 50,00 + 23 %
        Assert.StartsWith("SZKIC_", disposition?.FileName?.Trim('"'));
        Assert.Equal(["DRAFT"], PdfText.RotatedText(await PdfOkAsync(sales, draft.Id(), "en")));
        Assert.Equal(["ЧЕРНОВИК"], PdfText.RotatedText(await PdfOkAsync(sales, draft.Id(), "ru")));
    }

    [Fact]
    public async Task Unknown_language_is_400_naming_language_and_unknown_invoice_is_404()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, _) = await CreateBuyerAsync(sales, "Firma Błędna Sp. z o.o.");
        var issued = await sales.CreateAndIssueAsync(partyId, "10.00");

        var (badStatus, badBody, _) = await sales.SendAsync(HttpMethod.Get, $"/api/invoices/{issued.Id()}/pdf?language=de");
        var (missingStatus, _, _) = await sales.SendAsync(HttpMethod.Get, $"/api/invoices/{Guid.NewGuid()}/pdf");
        var (anonymousStatus, _, _) = await app.AnonymousClient().SendAsync(HttpMethod.Get, $"/api/invoices/{issued.Id()}/pdf");

        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.NotNull(badBody?["errors"]?["language"]);
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousStatus);
    }

    [Fact]
    public async Task Pro_forma_prints_as_a_pro_forma_that_is_no_VAT_invoice_in_polish_and_russian()
    {
        app.Clock.SetDate(new DateOnly(2026, 10, 5));
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, nip) = await CreateBuyerAsync(sales, PolishBuyer);
        // 12 × 1 500,00 at 23 % = 18 000,00 + 4 140,00 VAT = 22 140,00 (above the split-payment threshold: a VAT invoice would be marked)
        var draft = await sales.PostCreatedAsync("/api/proformas", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { description = "Żuraw — wynajem", quantity = "12", unitPrice = "1500.00", vatRateCode = "23" } },
        });
        var issued = await sales.PostOkAsync($"/api/proformas/{draft.Id()}/issue");
        Assert.Equal("PF/2026/10/1", issued.Str("number"));

        var polish = PdfText.All(await PdfOkAsync(sales, draft.Id(), "pl"));
        Assert.Contains("Faktura pro forma", polish);
        Assert.Contains("nr PF/2026/10/1", polish);
        Assert.Contains("Dokument nie jest fakturą VAT", polish);
        Assert.DoesNotContain("Faktura VAT", polish);
        Assert.DoesNotContain("mechanizm podzielonej płatności", polish); // a statutory annotation of VAT invoices only
        Assert.Contains("NIP: 5260250274", polish);
        Assert.Contains("NIP: " + nip, polish);
        Assert.Contains(PolishBuyer, polish);
        Assert.Contains("Żuraw — wynajem", polish);
        Assert.Contains("18 000,00 4 140,00 22 140,00", polish);
        Assert.Contains("22 140,00 PLN", polish);

        var russian = PdfText.All(await PdfOkAsync(sales, draft.Id(), "ru"));
        Assert.Contains("Счёт-проформа", russian);
        Assert.Contains("не является счётом-фактурой", russian);
        Assert.Contains("PF/2026/10/1", russian);
        Assert.Contains("22 140,00", russian);
        var english = PdfText.All(await PdfOkAsync(sales, draft.Id(), "en"));
        Assert.Contains("Pro forma invoice", english);
        Assert.DoesNotContain("VAT invoice No.", english);
    }

    [Fact]
    public async Task Advance_and_final_invoices_print_their_titles_the_order_value_the_amount_received_and_the_advances_deducted()
    {
        app.Clock.SetDate(new DateOnly(2026, 11, 16));
        var sales = await app.ClientAsync(Roles.Sales);
        var (partyId, nip) = await CreateBuyerAsync(sales, PolishBuyer);
        // 3 × 333,33 at 23 %: 999,99 + 230,00 = 1 229,99; 7 × 12,37 at 8 %: 86,59 + 6,93 = 93,52. Order: 1 086,58 + 236,93 = 1 323,51.
        var order = await sales.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[]
            {
                new { description = "Regał magazynowy", quantity = "3", unitPrice = "333.33", vatRateCode = "23" },
                new { description = "Książka montażowa", quantity = "7", unitPrice = "12.37", vatRateCode = "8" },
            },
        });
        var advanceDraft = await sales.PostCreatedAsync($"/api/orders/{order.Id()}/advance-invoices", new { amount = new { amount = "397.05", currency = "PLN" }, receivedOn = "2026-11-13" });
        var advance = await sales.IssueAsync(advanceDraft.Id());
        var advanceNumber = advance.Str("number");

        var advanceText = PdfText.All(await PdfOkAsync(sales, advance.Id(), "pl"));
        Assert.Contains("Faktura zaliczkowa", advanceText);
        Assert.Contains("nr " + advanceNumber, advanceText);
        Assert.Contains("Dotyczy zamówienia nr " + order.Str("number"), advanceText);
        Assert.Contains("NIP: " + nip, advanceText);
        Assert.Contains("Wartość zamówienia", advanceText);
        Assert.Contains("1 323,51 PLN", advanceText);
        Assert.Contains("Otrzymana zaliczka: 397,05 PLN", advanceText);
        Assert.Contains("13.11.2026", advanceText);                  // the day the advance was received
        Assert.Contains("23% 299,99 69,00 368,99", advanceText);     // the advance per rate
        Assert.Contains("8% 25,98 2,08 28,06", advanceText);
        Assert.Contains("325,97 71,08 397,05", advanceText);
        Assert.Contains("Regał magazynowy", advanceText);             // the ordered goods
        Assert.Contains("trzysta dziewięćdziesiąt siedem złotych 05/100", advanceText);

        var final = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/orders/{order.Id()}/final-invoice", new { })).Id());
        var finalText = PdfText.All(await PdfOkAsync(sales, final.Id(), "pl"));
        Assert.Contains("Faktura końcowa", finalText);
        Assert.Contains("nr " + final.Str("number"), finalText);
        Assert.Contains("NIP: " + nip, finalText);
        Assert.Contains("Rozliczone zaliczki", finalText);
        Assert.Contains($"{advanceNumber} 16.11.2026 23% 299,99 69,00 368,99", finalText);
        Assert.Contains($"{advanceNumber} 16.11.2026 8% 25,98 2,08 28,06", finalText);
        Assert.Contains("23% 700,00 161,00 861,00", finalText);      // what remains per rate
        Assert.Contains("8% 60,61 4,85 65,46", finalText);
        Assert.Contains("Do zapłaty: 926,46 PLN", finalText);
        Assert.Contains("Książka montażowa", finalText);

        var russian = PdfText.All(await PdfOkAsync(sales, final.Id(), "ru"));
        Assert.Contains("Итоговый счёт-фактура", russian);
        Assert.Contains("Зачтённые авансы", russian);
        Assert.Contains("926,46 PLN", russian);
        Assert.Contains("Счёт-фактура на аванс", PdfText.All(await PdfOkAsync(sales, advance.Id(), "ru")));
    }
}

public sealed class SqliteInvoicePdfTests(SqliteApp app) : InvoicePdfTests<SqliteApp>(app);

public sealed class PostgresInvoicePdfTests(PostgresApp app) : InvoicePdfTests<PostgresApp>(app);
