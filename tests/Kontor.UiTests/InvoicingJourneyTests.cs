using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Sales;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class InvoicingJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Salesperson_creates_customer_and_two_rate_invoice_issues_it_and_sees_the_balance_on_the_card()
    {
        var page = await app.SignedInPageAsync();

        // Customer: a wrong NIP is refused next to the field, the corrected one is saved.
        await page.GetByTestId("nav-customers").ClickAsync();
        await page.GetByTestId("new-customer").ClickAsync();
        await page.WaitForURLAsync("**/customers/new");
        await page.FillAsync("#party-name", "Kwiaciarnia Pod Lipą Sp. z o.o.");
        await page.SelectOptionAsync("#party-taxidkind", "Nip");
        await page.FillAsync("#party-taxid", "1134567896");
        await page.FillAsync("#party-street", "ul. Lipowa 3");
        await page.FillAsync("#party-postalcode", "30-001");
        await page.FillAsync("#party-city", "Kraków");
        await page.FillAsync("#party-email", "biuro@podlipa.example.pl");
        await page.FillAsync("#party-creditlimit", "10000");
        await page.FillAsync("#contact-firstname", "Anna");
        await page.FillAsync("#contact-lastname", "Lipska");
        await page.GetByTestId("save-customer").ClickAsync();
        await Expect(page.GetByTestId("error-taxId")).ToBeVisibleAsync();
        await page.FillAsync("#party-taxid", "113-456-78-95");
        await page.GetByTestId("save-customer").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/customers/[0-9a-f-]{36}$"));
        var customerUrl = page.Url;
        await Expect(page.GetByTestId("customer-name")).ToHaveTextAsync("Kwiaciarnia Pod Lipą Sp. z o.o.");
        await Expect(page.GetByTestId("customer-taxid")).ToContainTextAsync("1134567895");
        await Expect(page.GetByTestId("customer-balance")).ToHaveTextAsync("0.00 PLN");
        await Expect(page.GetByTestId("customer-credit-limit")).ToHaveTextAsync("10,000.00 PLN");

        // Invoice: 2 × 100.00 at 23 % and 1 × 50.00 at 8 %, net prices.
        await page.GetByTestId("customer-new-invoice").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/invoices/new\?partyId="));
        await Expect(page.Locator("#invoice-party")).Not.ToHaveValueAsync("");
        await page.FillAsync("#line-description-0", "Bukiet okolicznościowy");
        await page.FillAsync("#line-quantity-0", "2");
        await page.FillAsync("#line-price-0", "100.00");
        await page.SelectOptionAsync("#line-vat-0", "23");
        await page.GetByTestId("new-line").ClickAsync();
        await page.FillAsync("#line-description-1", "Kartka z życzeniami");
        await page.FillAsync("#line-quantity-1", "1");
        await page.FillAsync("#line-price-1", "50,00");
        await page.SelectOptionAsync("#line-vat-1", "8");

        // By hand: 23 %: net 200.00, VAT 46.00, gross 246.00; 8 %: net 50.00, VAT 4.00, gross 54.00.
        await Expect(page.GetByTestId("line-gross-0")).ToHaveTextAsync("246.00");
        await Expect(page.GetByTestId("line-gross-1")).ToHaveTextAsync("54.00");
        await Expect(page.GetByTestId("vat-net-23")).ToHaveTextAsync("200.00");
        await Expect(page.GetByTestId("vat-amount-23")).ToHaveTextAsync("46.00");
        await Expect(page.GetByTestId("vat-net-8")).ToHaveTextAsync("50.00");
        await Expect(page.GetByTestId("vat-amount-8")).ToHaveTextAsync("4.00");
        await Expect(page.GetByTestId("invoice-total-net")).ToHaveTextAsync("250.00 PLN");
        await Expect(page.GetByTestId("invoice-total-vat")).ToHaveTextAsync("50.00 PLN");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("300.00 PLN");
        await KontorAppFixture.ScreenshotAsync(page, "new-invoice-live-totals.png");

        await page.GetByTestId("save-draft").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Draft");
        await page.GetByTestId("issue-invoice").ClickAsync();

        var warsawToday = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        var number = page.GetByTestId("invoice-number");
        await Expect(number).ToHaveTextAsync(new Regex($@"^FV/{warsawToday:yyyy}/{warsawToday:MM}/\d+$"));
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Issued");
        await Expect(page.GetByTestId("invoice-total-net")).ToHaveTextAsync("250.00 PLN");
        await Expect(page.GetByTestId("invoice-total-vat")).ToHaveTextAsync("50.00 PLN");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("300.00 PLN");
        await Expect(page.GetByTestId("issue-invoice")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("invoice-journal")).ToBeVisibleAsync();
        var issuedNumber = await number.TextContentAsync();

        // The customer card reads the balance from the ledger: the gross of the issued invoice.
        await page.GetByTestId("invoice-buyer").ClickAsync();
        await page.WaitForURLAsync(customerUrl);
        await Expect(page.GetByTestId("customer-balance")).ToHaveTextAsync("300.00 PLN");
        await Expect(page.GetByTestId("customer-available-credit")).ToHaveTextAsync("9,700.00 PLN");
        await Expect(page.GetByTestId("customer-overdue-flag")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("invoice-row").First).ToContainTextAsync(issuedNumber!);
        await KontorAppFixture.ScreenshotAsync(page, "customer-card.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Invoice_pages_fit_a_390px_phone_without_horizontal_scrolling()
    {
        var invoiceId = await IssueInvoiceThroughServicesAsync();
        var page = await app.SignedInPageAsync(390, 844);

        // The navigation collapses behind a menu button.
        await Expect(page.GetByTestId("nav-customers")).ToBeHiddenAsync();
        await page.GetByTestId("nav-toggle").ClickAsync();
        await Expect(page.GetByTestId("nav-customers")).ToBeVisibleAsync();

        await page.GotoAsync($"/invoices/{invoiceId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("invoice-number")).ToBeVisibleAsync();
        // Saved before the check, so a failure comes with the picture that explains it.
        await KontorAppFixture.ScreenshotAsync(page, "phone-invoice.png");
        await AssertNoHorizontalOverflowAsync(page);

        await page.GotoAsync("/invoices/new");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.FillAsync("#line-description-0", "Doniczka ceramiczna z bardzo długą nazwą, która musi się zawinąć");
        await page.GetByTestId("new-line").ClickAsync();
        await Expect(page.Locator("#line-description-1")).ToBeVisibleAsync();
        // Saved before the check, so a failure comes with the picture that explains it.
        await KontorAppFixture.ScreenshotAsync(page, "phone-new-invoice.png");
        await AssertNoHorizontalOverflowAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_page_renders_in_Russian_and_a_product_can_be_added_and_the_books_balance()
    {
        await IssueInvoiceThroughServicesAsync("7792345616");
        var page = await app.SignedInPageAsync();
        await page.GetByTestId("lang-ru").ClickAsync();
        await page.WaitForURLAsync(app.BaseUrl + "/");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await Expect(page.GetByTestId("nav-customers")).ToHaveTextAsync("Клиенты");
        await Expect(page.GetByTestId("nav-invoices")).ToHaveTextAsync("Счета");
        await Expect(page.GetByTestId("nav-books")).ToHaveTextAsync("Учёт");
        await KontorAppFixture.ScreenshotAsync(page, "ru-dashboard.png");

        await page.GetByTestId("nav-products").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Товары");
        await page.GetByTestId("new-product").ClickAsync();
        await page.FillAsync("#product-sku", "tul-01");
        await page.FillAsync("#product-name", "Тюльпаны, букет 15 шт.");
        await page.FillAsync("#product-price", "89,90");
        await page.SelectOptionAsync("#product-vat", "8");
        await page.GetByTestId("save-product").ClickAsync();
        var row = page.GetByTestId("product-row").Filter(new() { HasText = "TUL-01" });
        await Expect(row).ToContainTextAsync("Тюльпаны, букет 15 шт.");
        await Expect(row).ToContainTextAsync("89,90 PLN");
        await Expect(row).ToContainTextAsync("8%");
        await KontorAppFixture.ScreenshotAsync(page, "ru-products.png");

        await page.GetByTestId("nav-invoices").ClickAsync();
        await Expect(page.GetByTestId("invoice-row").First).ToBeVisibleAsync();
        await KontorAppFixture.ScreenshotAsync(page, "ru-invoices.png");

        // An issued invoice posts a balanced entry: the trial balance must say so.
        await page.GetByTestId("nav-books").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Оборотно-сальдовая ведомость");
        await Expect(page.GetByTestId("tb-balanced")).ToHaveAttributeAsync("data-balanced", "true");
        await Expect(page.GetByTestId("tb-row-201")).ToBeVisibleAsync();
        await KontorAppFixture.ScreenshotAsync(page, "ru-trial-balance.png");
        await page.GetByTestId("tab-journal").ClickAsync();
        await Expect(page.GetByTestId("journal-entry").First).ToBeVisibleAsync();

        await page.GetByTestId("nav-audit").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Аудит");
        await Expect(page.GetByTestId("audit-row").Filter(new() { HasText = "product.created" })).ToHaveCountAsync(1);
        await KontorAppFixture.ScreenshotAsync(page, "ru-audit.png");
        await page.Context.CloseAsync();
    }

    private static async Task AssertNoHorizontalOverflowAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]}px wide in a {widths[1]}px viewport: something overflows horizontally.");
    }

    private async Task<Guid> IssueInvoiceThroughServicesAsync(string nip = "5841234561")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var parties = scope.ServiceProvider.GetRequiredService<PartyService>();
        var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
        var party = await parties.CreateAsync(new CreateParty(PartyKind.Company, "Przedsiębiorstwo Handlowo-Usługowe „Długa Nazwa” Spółka Jawna", TaxIdKind.Nip, nip,
            new AddressInput("ul. Bardzo Długa Ulica Imienia Kogoś Znanego 123/45", "80-001", "Gdańsk", "PL"), null, null, 30, null, "PLN", null, null));
        var draft = await invoices.CreateDraftAsync(new SaveInvoiceDraft(party.Id, "PLN", PricingMode.Net, null, null, null, null,
        [
            new InvoiceLineInput(null, "Usługa projektowa — przygotowanie dokumentacji technicznej", 12.5m, 1234.56m, 5m, "23", "godz."),
            new InvoiceLineInput(null, "Materiały", 3m, 99.99m, null, "8", null),
        ]));
        await invoices.IssueAsync(draft.Id);
        return draft.Id;
    }
}
