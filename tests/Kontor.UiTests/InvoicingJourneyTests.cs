using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Sales;
using Kontor.Security;
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
        var invoiceUrl = page.Url;
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Draft");

        // The draft opens in the same editor, as saved; three bouquets instead of two.
        await page.GetByTestId("edit-draft").ClickAsync();
        await page.WaitForURLAsync(invoiceUrl + "/edit");
        await Expect(page.Locator("#line-description-0")).ToHaveValueAsync("Bukiet okolicznościowy");
        await Expect(page.Locator("#line-quantity-0")).ToHaveValueAsync("2");
        await Expect(page.Locator("#line-price-1")).ToHaveValueAsync("50");
        await Expect(page.Locator("#line-vat-1")).ToHaveValueAsync("8");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("300.00 PLN");
        await page.FillAsync("#line-quantity-0", "3");
        // By hand: 23 %: net 300.00, VAT 69.00, gross 369.00; 8 % unchanged; totals 350.00 / 73.00 / 423.00.
        await Expect(page.GetByTestId("line-gross-0")).ToHaveTextAsync("369.00");
        await Expect(page.GetByTestId("vat-amount-23")).ToHaveTextAsync("69.00");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("423.00 PLN");
        await KontorAppFixture.ScreenshotAsync(page, "edit-draft.png");
        await page.GetByTestId("save-draft").ClickAsync();
        await page.WaitForURLAsync(invoiceUrl);
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Draft");
        await Expect(page.GetByTestId("invoice-total-net")).ToHaveTextAsync("350.00 PLN");
        await Expect(page.GetByTestId("invoice-total-vat")).ToHaveTextAsync("73.00 PLN");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("423.00 PLN");
        await page.GetByTestId("issue-invoice").ClickAsync();

        var warsawToday = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        var number = page.GetByTestId("invoice-number");
        await Expect(number).ToHaveTextAsync(new Regex($@"^FV/{warsawToday:yyyy}/{warsawToday:MM}/\d+$"));
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Issued");
        await Expect(page.GetByTestId("invoice-issue-date")).ToHaveTextAsync($"{warsawToday:yyyy-MM-dd}");
        await Expect(page.GetByTestId("invoice-total-net")).ToHaveTextAsync("350.00 PLN");
        await Expect(page.GetByTestId("invoice-total-vat")).ToHaveTextAsync("73.00 PLN");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("423.00 PLN");
        await Expect(page.GetByTestId("issue-invoice")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("edit-draft")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("invoice-journal")).ToBeVisibleAsync();
        var issuedNumber = await number.TextContentAsync();

        // The customer card reads the balance from the ledger: the gross of the issued invoice.
        await page.GetByTestId("invoice-buyer").ClickAsync();
        await page.WaitForURLAsync(customerUrl);
        await Expect(page.GetByTestId("customer-balance")).ToHaveTextAsync("423.00 PLN");
        await Expect(page.GetByTestId("customer-available-credit")).ToHaveTextAsync("9,577.00 PLN");
        await Expect(page.GetByTestId("customer-overdue-flag")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("invoice-row").First).ToContainTextAsync(issuedNumber!);
        await KontorAppFixture.ScreenshotAsync(page, "customer-card.png");

        // An issued invoice cannot be edited, even by typing the address; a fresh page load says why.
        await page.GotoAsync(invoiceUrl + "/edit");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("invoice-not-editable")).ToContainTextAsync($"Invoice {issuedNumber} is issued and can no longer be changed");
        await Expect(page.GetByTestId("invoice-form")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();

        // Every change was made in a circuit, each service call in a DI scope of its own: the audit
        // trail must still name the signed-in admin, not "system".
        var partyId = customerUrl[^36..];
        var invoiceId = invoiceUrl[^36..];
        await using var scope = app.Services.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditQueries>();
        var trail = (await audit.ListAsync("Party", partyId, 0, 50)).Concat(await audit.ListAsync("Invoice", invoiceId, 0, 50)).ToList();
        Assert.Equal(new[] { "invoice.draft-changed", "invoice.draft-created", "invoice.issued", "party.created" }, trail.Select(e => e.Action).Order().ToArray());
        Assert.All(trail, e => Assert.Equal(KontorAppFixture.AdminEmail, e.UserName));
        Assert.All(trail, e => Assert.NotNull(e.UserId));
    }

    [Fact]
    public async Task Work_started_outside_any_request_or_circuit_is_audited_as_the_system()
    {
        // The other side of the audit check above: without a signed-in user the actor really is "system",
        // so finding the admin's e-mail there means the circuit's user was carried into the operation's scope.
        var invoiceId = await IssueInvoiceThroughServicesAsync("5261040828");
        await using var scope = app.Services.CreateAsyncScope();
        var trail = await scope.ServiceProvider.GetRequiredService<AuditQueries>().ListAsync("Invoice", invoiceId.ToString(), 0, 50);
        Assert.Contains(trail, e => e.Action == "invoice.issued");
        Assert.All(trail, e => Assert.Equal("system", e.UserName));
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
        // This product's entry (other journeys sharing the database create products too).
        await Expect(page.GetByTestId("audit-row").Filter(new() { HasText = "product.created" }).Filter(new() { HasText = "TUL-01" })).ToHaveCountAsync(1);
        await KontorAppFixture.ScreenshotAsync(page, "ru-audit.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Saving_while_live_totals_are_still_being_computed_saves_what_was_typed()
    {
        // Each keystroke starts a preview query and Save is clicked without waiting for them: what was typed
        // last is what gets saved. (Whether a preview and the save really overlap depends on timing, so this
        // cannot prove the absence of the shared-DbContext race; ScopedServices removes its cause.)
        var partyId = await CreatePartyThroughServicesAsync("1234563218");
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"/invoices/new?partyId={partyId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.Locator("#invoice-party")).ToHaveValueAsync(partyId.ToString());
        await page.FillAsync("#line-description-0", "Konsultacja");
        await page.Locator("#line-price-0").PressSequentiallyAsync("10.50");
        await page.Locator("#line-quantity-0").FillAsync("");
        await page.Locator("#line-quantity-0").PressSequentiallyAsync("12");
        await page.GetByTestId("save-draft").ClickAsync();

        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
        // By hand: 12 × 10.50 = 126.00 net; VAT 23 % = 28.98; gross 154.98.
        await Expect(page.GetByTestId("invoice-total-net")).ToHaveTextAsync("126.00 PLN");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("154.98 PLN");
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    private static async Task AssertNoHorizontalOverflowAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]}px wide in a {widths[1]}px viewport: something overflows horizontally.");
    }

    private async Task<Guid> CreatePartyThroughServicesAsync(string nip)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var party = await scope.ServiceProvider.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Company, "Biuro Rachunkowe Saldo", TaxIdKind.Nip, nip,
            new AddressInput("ul. Krótka 1", "00-001", "Warszawa", "PL"), null, null, 14, null, "PLN", null, null));
        return party.Id;
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
