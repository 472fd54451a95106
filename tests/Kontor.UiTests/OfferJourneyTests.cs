using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Crm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class OfferJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Salesperson_makes_an_offer_sends_it_records_acceptance_converts_it_and_issues_the_invoice()
    {
        var partyName = "Pracownia Ofertowa " + Guid.NewGuid().ToString("N")[..6];
        await app.CreateCompanyAsync(partyName, "7771234567", "ul. Ofertowa 7", "00-950", "Warszawa");
        var page = await app.SignedInPageAsync();

        await page.GetByTestId("nav-offers").ClickAsync();
        await page.WaitForURLAsync("**/offers");
        await page.GetByTestId("new-offer").ClickAsync();
        await page.WaitForURLAsync("**/offers/new");
        await page.Locator("#offer-party").SelectOptionAsync(new SelectOptionValue { Label = partyName + " · 7771234567" });
        await page.FillAsync("#line-description-0", "Projekt ogrodu");
        await page.FillAsync("#line-quantity-0", "2");
        await page.FillAsync("#line-price-0", "500.00");
        await page.FillAsync("#line-discount-0", "10");
        await page.SelectOptionAsync("#line-vat-0", "23");
        // By hand: 2 × 500.00 × 0.90 = 900.00 net, VAT 23 % = 207.00, gross 1107.00.
        await Expect(page.GetByTestId("line-gross-0")).ToHaveTextAsync("1,107.00");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("1,107.00 PLN");
        await page.GetByTestId("save-offer").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/offers/[0-9a-f-]{36}$"));
        var offerUrl = page.Url;
        await Expect(page.GetByTestId("offer-status")).ToHaveTextAsync("Draft");

        var warsawToday = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        await page.GetByTestId("send-offer").ClickAsync();
        await Expect(page.GetByTestId("offer-status")).ToHaveTextAsync("Sent");
        await Expect(page.GetByTestId("offer-number")).ToHaveTextAsync(new Regex($@"^OF/{warsawToday:yyyy}/{warsawToday:MM}/\d+$"));
        var offerNumber = await page.GetByTestId("offer-number").TextContentAsync();
        await Expect(page.GetByTestId("edit-offer")).ToHaveCountAsync(0);

        await page.GetByTestId("accept-offer").ClickAsync();
        await Expect(page.GetByTestId("offer-status")).ToHaveTextAsync("Accepted");
        await KontorAppFixture.ScreenshotAsync(page, "offer-accepted.png");
        await page.GetByTestId("convert-offer").ClickAsync();

        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Draft");
        await Expect(page.GetByTestId("invoice-source-link")).ToHaveTextAsync(offerNumber!);
        await Expect(page.GetByTestId("invoice-lines")).ToContainTextAsync("Projekt ogrodu");
        await Expect(page.GetByTestId("invoice-total-net")).ToHaveTextAsync("900.00 PLN");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("1,107.00 PLN");
        await page.GetByTestId("issue-invoice").ClickAsync();
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Issued");
        var invoiceNumber = await page.GetByTestId("invoice-number").TextContentAsync();
        await Expect(page.GetByTestId("invoice-source-link")).ToHaveTextAsync(offerNumber!);

        // The issued invoice downloads as a PDF that names its number and buyer.
        var pdf = await PdfDownloads.DownloadAsync(page);
        var text = PdfDownloads.Text(pdf);
        Assert.Contains(invoiceNumber!, text);
        Assert.Contains(partyName, text);
        Assert.Contains("1 107,00 PLN", text); // the company's document language (Polish): 900.00 + 23 %

        // And back: the offer names the invoice made from it, and offers no second conversion.
        await page.GetByTestId("invoice-source-link").ClickAsync();
        await page.WaitForURLAsync(offerUrl);
        await Expect(page.GetByTestId("offer-invoice-link")).ToHaveTextAsync(invoiceNumber!);
        await Expect(page.GetByTestId("convert-offer")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
