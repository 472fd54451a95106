using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Crm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class RecurringJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Salesperson_sets_up_a_monthly_invoice_pauses_resumes_edits_and_deletes_it()
    {
        var partyName = "Abonent Cykliczny " + Guid.NewGuid().ToString("N")[..6];
        await app.CreateCompanyAsync(partyName, "8812345006", "ul. Cykliczna 1", "00-950", "Warszawa");
        // Starts next year, on the 31st: the background worker of this host has nothing to invoice during the test.
        var start = new DateOnly(DateTime.UtcNow.Year + 1, 1, 31);
        var page = await app.SignedInPageAsync();

        await page.GetByTestId("nav-recurring").ClickAsync();
        await page.WaitForURLAsync("**/recurring-invoices");
        await page.GetByTestId("new-recurring").ClickAsync();
        await page.WaitForURLAsync("**/recurring-invoices/new");
        await page.Locator("#recurring-party").SelectOptionAsync(new SelectOptionValue { Label = partyName + " · 8812345006" });
        await page.SelectOptionAsync("#recurring-frequency", "Monthly");
        await page.FillAsync("#recurring-start", start.ToString("yyyy-MM-dd"));
        await page.FillAsync("#recurring-day", "31");
        await page.CheckAsync("#recurring-auto");
        await page.FillAsync("#line-description-0", "Abonament serwisowy");
        await page.FillAsync("#line-quantity-0", "1");
        await page.FillAsync("#line-price-0", "100.00");
        await page.SelectOptionAsync("#line-vat-0", "23");
        // By hand: 100.00 net + 23 % = 123.00 gross.
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("123.00 PLN");
        await page.GetByTestId("save-recurring").ClickAsync();

        await page.WaitForURLAsync(new Regex(@"/recurring-invoices$"));
        var row = page.GetByTestId("recurring-row").Filter(new LocatorFilterOptions { HasText = partyName });
        await Expect(row).ToContainTextAsync("Monthly");
        await Expect(row).ToContainTextAsync(start.ToString("yyyy-MM-dd"));
        await Expect(row).ToContainTextAsync("Active");
        await KontorAppFixture.ScreenshotAsync(page, "recurring-invoices.png");

        await row.GetByTestId("recurring-pause").ClickAsync();
        await Expect(row).ToContainTextAsync("Paused");
        await row.GetByTestId("recurring-resume").ClickAsync();
        await Expect(row).ToContainTextAsync("Active");

        // Edit: two per month from now on; the form opens as saved.
        await row.GetByTestId("recurring-link").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/recurring-invoices/[0-9a-f-]{36}$"));
        await Expect(page.Locator("#line-description-0")).ToHaveValueAsync("Abonament serwisowy");
        await Expect(page.Locator("#recurring-day")).ToHaveValueAsync("31");
        await Expect(page.GetByTestId("recurring-runs-empty")).ToBeVisibleAsync();
        await page.FillAsync("#line-quantity-0", "2");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("246.00 PLN");
        await page.GetByTestId("save-recurring").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/recurring-invoices$"));

        await row.GetByTestId("recurring-delete").ClickAsync();
        await Expect(page.GetByTestId("recurring-row").Filter(new LocatorFilterOptions { HasText = partyName })).ToHaveCountAsync(0);
    }
}
