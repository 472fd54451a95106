using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Orders;
using Kontor.Sales;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class AdvanceInvoiceJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Salesperson_records_an_advance_on_an_order_and_issues_the_final_invoice_that_deducts_it()
    {
        Guid orderId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var party = await scope.ServiceProvider.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Company,
                "Zaliczkowa Pracownia " + Guid.NewGuid().ToString("N")[..6], TaxIdKind.Nip, "5252248481",
                new AddressInput("ul. Zamówień 5", "00-950", "Warszawa", "PL"), null, null, 14, null, "PLN", null, null));
            // 2 × 500.00 at 23 %: 1000.00 + 230.00 = 1230.00 gross.
            orderId = (await scope.ServiceProvider.GetRequiredService<OrderService>().CreateAsync(new CreateOrder(party.Id, "PLN", PricingMode.Net, null,
                [new InvoiceLineInput(null, "Szafa na wymiar", 2, 500.00m, null, "23", null)]))).Id;
        }
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"/orders/{orderId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);

        await page.GetByTestId("order-advance").ClickAsync();
        await page.GetByTestId("advance-amount").FillAsync("369.00"); // 30 %: VAT 369.00 × 23/123 = 69.00
        await page.GetByTestId("advance-create").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("invoice-draft-title")).ToHaveTextAsync("Draft advance invoice");
        await Expect(page.GetByTestId("advance-received")).ToHaveTextAsync("369.00");
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync("369.00 PLN");
        await page.GetByTestId("issue-invoice").ClickAsync();
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Issued");
        var advanceNumber = await page.GetByTestId("invoice-number").TextContentAsync();

        await page.GetByTestId("settlement-order-link").ClickAsync();
        await page.WaitForURLAsync($"**/orders/{orderId}");
        await page.GetByTestId("order-final").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("invoice-draft-title")).ToHaveTextAsync("Draft final invoice");
        await Expect(page.GetByTestId("advances-deducted")).ToContainTextAsync(advanceNumber!);
        // 1230.00 − 369.00 = 861.00 to pay: net 1000.00 − 300.00 = 700.00, VAT 230.00 − 69.00 = 161.00.
        await Expect(page.GetByTestId("final-amount-due")).ToHaveTextAsync("861.00");
        await Expect(page.GetByTestId("invoice-total-net")).ToHaveTextAsync("700.00 PLN");
        await page.GetByTestId("issue-invoice").ClickAsync();
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Issued");
        await KontorAppFixture.ScreenshotAsync(page, "final-invoice-issued.png");
        await Expect(page.GetByTestId("correct-invoice")).ToHaveCountAsync(0);

        // The order is invoiced now: no further advance or final invoice offered.
        await page.GotoAsync($"/orders/{orderId}");
        await Expect(page.GetByTestId("order-link")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("order-final")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
