using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Crm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class ProFormaJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Salesperson_creates_a_pro_forma_issues_it_and_converts_it_into_a_VAT_invoice()
    {
        var partyName = "Pracownia Proformowa " + Guid.NewGuid().ToString("N")[..6];
        await app.CreateCompanyAsync(partyName, "5213017228", "ul. Zaliczkowa 3", "00-950", "Warszawa");
        var page = await app.SignedInPageAsync();

        await page.GetByTestId("nav-proformas").ClickAsync();
        await page.WaitForURLAsync("**/proformas");
        await page.GetByTestId("new-proforma").ClickAsync();
        await page.WaitForURLAsync("**/proformas/new");
        await page.Locator("#invoice-party").SelectOptionAsync(new SelectOptionValue { Label = partyName + " · 5213017228" });
        await page.FillAsync("#line-description-0", "Stół dębowy");
        await page.FillAsync("#line-quantity-0", "3");
        await page.FillAsync("#line-price-0", "410.00");
        await page.FillAsync("#line-discount-0", "5");
        await page.SelectOptionAsync("#line-vat-0", "23");
        // By hand: 3 × 410.00 × 0.95 = 1168.50 net, VAT 23 % = 268.755 → 268.76, gross 1437.26.
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("1,437.26 PLN");
        await page.GetByTestId("save-draft").ClickAsync();

        await page.WaitForURLAsync(new Regex(@"/proformas/[0-9a-f-]{36}$"));
        var proFormaUrl = page.Url;
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Draft");
        await Expect(page.GetByTestId("invoice-draft-title")).ToHaveTextAsync("Draft pro forma");
        await Expect(page.GetByTestId("proforma-notice")).ToBeVisibleAsync();
        await page.GetByTestId("issue-invoice").ClickAsync();
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Issued");
        var warsawToday = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        await Expect(page.GetByTestId("invoice-number")).ToHaveTextAsync(new Regex($@"^PF/{warsawToday:yyyy}/{warsawToday:MM}/\d+$"));
        var proFormaNumber = await page.GetByTestId("invoice-number").TextContentAsync();
        await Expect(page.GetByTestId("invoice-kind-title")).ToHaveTextAsync("Pro forma");
        // Not posted: no journal button, no correction; the PDF is offered.
        await Expect(page.GetByTestId("invoice-journal")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("correct-invoice")).ToHaveCountAsync(0);
        var pdf = PdfDownloads.Text(await PdfDownloads.DownloadAsync(page));
        Assert.Contains(proFormaNumber!, pdf);
        Assert.Contains("Stół dębowy", pdf);
        Assert.DoesNotContain("Faktura VAT", pdf);
        Assert.Matches("Faktura pro forma|Pro forma invoice|Счёт-проформа", pdf);
        await KontorAppFixture.ScreenshotAsync(page, "proforma-issued.png");

        await page.GetByTestId("convert-proforma").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Draft");
        await Expect(page.GetByTestId("invoice-draft-title")).ToHaveTextAsync("Draft invoice");
        await Expect(page.GetByTestId("invoice-source-link")).ToHaveTextAsync(proFormaNumber!);
        await Expect(page.GetByTestId("invoice-lines")).ToContainTextAsync("Stół dębowy");
        await Expect(page.GetByTestId("invoice-total-net")).ToHaveTextAsync("1,168.50 PLN");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("1,437.26 PLN");
        await page.GetByTestId("issue-invoice").ClickAsync();
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Issued");
        await Expect(page.GetByTestId("invoice-number")).ToHaveTextAsync(new Regex($@"^FV/{warsawToday:yyyy}/{warsawToday:MM}/\d+$"));
        var invoiceNumber = await page.GetByTestId("invoice-number").TextContentAsync();

        // And back: the pro forma names its invoice and offers no second conversion or cancellation.
        await page.GetByTestId("invoice-source-link").ClickAsync();
        await page.WaitForURLAsync(proFormaUrl);
        await Expect(page.GetByTestId("proforma-invoice-link")).ToHaveTextAsync(invoiceNumber!);
        await Expect(page.GetByTestId("convert-proforma")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("cancel-document")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
