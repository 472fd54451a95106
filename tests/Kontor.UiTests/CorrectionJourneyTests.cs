using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Sales;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class CorrectionJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Salesperson_corrects_an_issued_invoice_from_its_page_and_issues_the_correction()
    {
        Guid invoiceId;
        string invoiceNumber;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var party = await scope.ServiceProvider.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Company, "Korekta Testowa Sp. z o.o.", TaxIdKind.Nip, "7381020048",
                new AddressInput("ul. Zwrotna 3", "00-001", "Warszawa", "PL"), null, null, 14, null, "PLN", null, null));
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            // 10 × 200.00 = 2000.00 + 23 % 460.00 = 2460.00.
            var draft = await invoices.CreateDraftAsync(new SaveInvoiceDraft(party.Id, "PLN", PricingMode.Net, null, null, null, null,
                [new InvoiceLineInput(null, "Monitor 27\"", 10m, 200.00m, null, "23", null)]));
            invoiceNumber = (await invoices.IssueAsync(draft.Id)).Number!;
            invoiceId = draft.Id;
        }
        var page = await app.SignedInPageAsync();

        await page.GotoAsync($"/invoices/{invoiceId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("correct-invoice").ClickAsync();
        await page.WaitForURLAsync($"**/invoices/{invoiceId}/correct");
        await Expect(page.GetByTestId("correction-basis")).ToHaveTextAsync(invoiceNumber);
        await page.GetByTestId("correction-reason").FillAsync("Zwrot 3 monitorów");
        await page.GetByTestId("correction-quantity").First.FillAsync("7");
        await page.GetByTestId("create-correction").ClickAsync();

        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("invoice-draft-title")).ToHaveTextAsync("Draft correction invoice");
        await Expect(page.GetByTestId("corrected-invoice-link")).ToHaveTextAsync(invoiceNumber);
        await Expect(page.GetByTestId("correction-reason")).ToHaveTextAsync("Zwrot 3 monitorów");
        // By hand: 7 × 200.00 = 1400.00 + 322.00 = 1722.00; difference −600.00 net, −138.00 VAT, −738.00 gross.
        await Expect(page.GetByTestId("correction-total-difference")).ToContainTextAsync("-600.00");
        await Expect(page.GetByTestId("correction-total-difference")).ToContainTextAsync("-738.00");
        await page.GetByTestId("issue-invoice").ClickAsync();

        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("Issued");
        var warsawToday = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        await Expect(page.GetByTestId("invoice-number")).ToHaveTextAsync(new Regex($@"^KOR/{warsawToday:yyyy}/{warsawToday:MM}/\d+$"));
        await KontorAppFixture.ScreenshotAsync(page, "correction-issued.png");

        // The invoice names its correction.
        await page.GetByTestId("corrected-invoice-link").ClickAsync();
        await page.WaitForURLAsync($"**/invoices/{invoiceId}");
        await Expect(page.GetByTestId("invoice-corrections")).ToContainTextAsync("KOR/");
        await page.Context.CloseAsync();
    }
}
