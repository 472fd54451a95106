using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Offers;
using Kontor.Sales;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>Offer → order → invoice through the pages, PDFs downloaded on the way, and the logo from settings on a PDF.</summary>
[Collection(KontorAppCollection.Name)]
public sealed class SalesDocumentJourneyTests(KontorAppFixture app)
{
    private async Task<(Guid PartyId, Guid OfferId, string OfferNumber)> AcceptedOfferAsync(string partyName, string nip)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var party = await services.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Company, partyName, TaxIdKind.Nip, nip,
            new AddressInput("ul. Zamówień 3", "30-001", "Kraków", "PL"), null, null, 14, null, "PLN", null, null));
        var offers = services.GetRequiredService<OfferService>();
        // By hand: 10 × 45.00 = 450.00 net at 23 % → 103.50 VAT, 553.50 gross.
        var offer = await offers.CreateDraftAsync(new SaveOfferDraft(party.Id, "PLN", PricingMode.Net, null, null,
            [new InvoiceLineInput(null, "Kostka brukowa szara", 10, 45.00m, 0, "23", "m2")]));
        var sent = await offers.SendAsync(offer.Id);
        await offers.AcceptAsync(offer.Id);
        return (party.Id, offer.Id, sent.Number!);
    }

    [Fact]
    public async Task Accepted_offer_becomes_an_order_which_moves_on_and_is_invoiced_with_pdfs_on_the_way()
    {
        var partyName = "Brukarstwo Zamówieniowe " + Guid.NewGuid().ToString("N")[..6];
        var (_, offerId, offerNumber) = await AcceptedOfferAsync(partyName, UniqueNip());
        var page = await app.SignedInPageAsync();

        await page.GotoAsync($"/offers/{offerId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("offer-status")).ToHaveTextAsync("Accepted");
        var offerPdf = PdfDownloads.Text(await PdfDownloads.DownloadAsync(page));
        Assert.Contains("Oferta", offerPdf);
        Assert.Contains(offerNumber, offerPdf);

        await page.GetByTestId("convert-offer-to-order").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/orders/[0-9a-f-]{36}$"));
        var orderUrl = page.Url;
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Accepted");
        await Expect(page.GetByTestId("order-number")).ToHaveTextAsync(new Regex(@"^ZAM/\d{4}/\d{2}/\d+$"));
        var orderNumber = await page.GetByTestId("order-number").TextContentAsync();
        await Expect(page.GetByTestId("order-links")).ToContainTextAsync(offerNumber);

        await page.GetByTestId("pdf-language").SelectOptionAsync("en");
        var orderPdf = PdfDownloads.Text(await PdfDownloads.DownloadAsync(page));
        Assert.Contains("Order", orderPdf);
        Assert.Contains(orderNumber!, orderPdf);
        Assert.Contains(partyName, orderPdf);
        Assert.Contains("Order value: 553.50 PLN", orderPdf);

        await page.GetByTestId("order-to-InProgress").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Picking");
        await page.GetByTestId("invoice-order").ClickAsync();

        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Draft");
        await Expect(page.GetByTestId("invoice-lines")).ToContainTextAsync("Kostka brukowa szara");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("553.50 PLN");
        await page.GetByTestId("issue-invoice").ClickAsync();
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Issued");
        var invoiceNumber = await page.GetByTestId("invoice-number").TextContentAsync();
        var invoicePdf = PdfDownloads.Text(await PdfDownloads.DownloadAsync(page));
        Assert.Contains(invoiceNumber!, invoicePdf);
        Assert.Contains("553,50 PLN", invoicePdf);

        // The order names its invoice and offers no second one; the offer no longer offers a conversion.
        await page.GotoAsync(orderUrl);
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("order-links")).ToContainTextAsync(invoiceNumber!);
        await Expect(page.GetByTestId("invoice-order")).ToHaveCountAsync(0);
        await page.GotoAsync($"/offers/{offerId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("offer-order-link")).ToHaveTextAsync(orderNumber!);
        await Expect(page.GetByTestId("convert-offer-to-order")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("convert-offer")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_uploads_a_logo_and_the_invoice_pdf_carries_it_until_it_is_removed()
    {
        var partyName = "Logo Journey " + Guid.NewGuid().ToString("N")[..6];
        Guid invoiceId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var party = await scope.ServiceProvider.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Company, partyName, TaxIdKind.Nip, UniqueNip(),
                new AddressInput("ul. Logo 1", "00-001", "Warszawa", "PL"), null, null, 14, null, "PLN", null, null));
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            var draft = await invoices.CreateDraftAsync(new SaveInvoiceDraft(party.Id, "PLN", PricingMode.Net, null, null, null, null,
                [new InvoiceLineInput(null, "Projekt logo", 1, 800.00m, 0, "23", "usł.")]));
            invoiceId = (await invoices.IssueAsync(draft.Id)).Id;
        }
        var page = await app.SignedInPageAsync();

        await page.GotoAsync("/settings/company");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.Locator("#logo-file").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = LogoPng() });
        await Expect(page.GetByTestId("logo-saved")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("logo-preview")).ToBeVisibleAsync();

        await page.GotoAsync($"/invoices/{invoiceId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var withLogo = await PdfDownloads.DownloadAsync(page);
        Assert.Equal(1, PdfDownloads.ImagesOnFirstPage(withLogo));
        Assert.Contains(partyName, PdfDownloads.Text(withLogo));

        // A file that is not an image is refused with the field's message, and the logo stays.
        await page.GotoAsync("/settings/company");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.Locator("#logo-file").SetInputFilesAsync(new FilePayload { Name = "notes.png", MimeType = "image/png", Buffer = "not an image"u8.ToArray() });
        await Expect(page.GetByTestId("logo-error")).ToContainTextAsync("PNG or JPEG");
        await Expect(page.GetByTestId("logo-preview")).ToBeVisibleAsync();
        await page.GetByTestId("remove-logo").ClickAsync();
        await Expect(page.GetByTestId("logo-none")).ToBeVisibleAsync();

        await page.GotoAsync($"/invoices/{invoiceId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        Assert.Equal(0, PdfDownloads.ImagesOnFirstPage(await PdfDownloads.DownloadAsync(page)));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Numbering_settings_list_and_create_series_of_every_document_type_and_the_customer_card_sets_a_document_language()
    {
        var page = await app.SignedInPageAsync();
        await page.GotoAsync("/settings/numbering");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var types = page.GetByTestId("series-document-type");
        await Expect(types).ToContainTextAsync(["Correction invoice", "VAT invoice", "Offer", "Order"]); // one default series each, by type
        await Expect(page.GetByTestId("series-type").Locator("option")).ToHaveTextAsync(["VAT invoice", "Correction invoice", "Pro forma", "Offer", "Order", "Complaint",
            "Goods received (PZ)", "Goods issued (WZ)", "Warehouse transfer (MM)", "Count surplus (PW)", "Count shortage (RW)", "Customer return (ZW)"]);

        var name = "ZK" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        await page.GetByTestId("series-type").SelectOptionAsync("order");
        await page.FillAsync("#series-name", name);
        await page.FillAsync("#series-pattern", name + "/{yyyy}/{n}");
        await page.SelectOptionAsync("#series-reset", "Yearly");
        await page.GetByTestId("create-series").ClickAsync();
        await Expect(page.GetByTestId($"series-{name}").GetByTestId("series-document-type")).ToHaveTextAsync("Order");

        // The customer's document language: set on the card, kept after a reload, used by the PDFs (integration tests).
        Guid partyId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            partyId = (await scope.ServiceProvider.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Company,
                "Language Card " + Guid.NewGuid().ToString("N")[..6], TaxIdKind.None, null, new AddressInput(null, null, "Berlin", "DE"),
                null, null, 14, null, "PLN", null, null))).Id;
        }
        await page.GotoAsync($"/customers/{partyId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("customer-document-language")).ToHaveValueAsync("");
        await page.GetByTestId("customer-document-language").SelectOptionAsync("en");
        await Expect(page.GetByTestId("customer-document-language-saved")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("customer-document-language")).ToHaveValueAsync("en");
        await page.Context.CloseAsync();
    }

    /// <summary>A real PNG, encoded by Skia: a blue bar.</summary>
    private static byte[] LogoPng()
    {
        using var bitmap = new SkiaSharp.SKBitmap(90, 30);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap)) canvas.Clear(new SkiaSharp.SKColor(31, 78, 121));
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A valid NIP no other test uses: nine random digits and the check digit (weights 6 5 7 2 3 4 5 6 7, mod 11 ≠ 10).</summary>
    private static string UniqueNip()
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        while (true)
        {
            var digits = Enumerable.Range(0, 9).Select(i => i == 0 ? Random.Shared.Next(1, 10) : Random.Shared.Next(10)).ToArray();
            var check = digits.Zip(weights, (d, w) => d * w).Sum() % 11;
            if (check < 10) return string.Concat(digits) + check;
        }
    }
}
