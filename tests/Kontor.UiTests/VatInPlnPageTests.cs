using System.Text;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Currencies;
using Kontor.Sales;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>
/// Its own app and database (a class fixture, not the shared collection): the EUR invoice it issues would add a
/// EUR row to the shared trial balance that other journeys read.
/// </summary>
public sealed class VatInPlnPageTests(KontorAppFixture app) : IClassFixture<KontorAppFixture>
{
    [Fact]
    public async Task Invoice_page_of_an_EUR_invoice_shows_the_NBP_rate_and_the_VAT_in_PLN()
    {
        Guid invoiceId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // Table 219/A/NBP/2026 (Tue 10.11.2026) as in tests/Kontor.Tests/TestData: EUR 4.2415.
            await scope.ServiceProvider.GetRequiredService<ExchangeRateImporter>().ImportAsync(RateSource.Nbp, Encoding.UTF8.GetBytes(
                """{"table":"A","no":"219/A/NBP/2026","effectiveDate":"2026-11-10","rates":[{"currency":"euro","code":"EUR","mid":4.2415}]}"""));
            var party = await scope.ServiceProvider.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Company, "Euro Klient Sp. z o.o.", TaxIdKind.Nip, "5213017228",
                new AddressInput("ul. Walutowa 1", "00-001", "Warszawa", "PL"), null, null, 14, null, "PLN", null, null));
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            // Sale date Thursday 12.11 (after the 11.11 holiday) → table of 10.11. 1000.00 EUR + 23 % = 230.00 EUR × 4.2415 = 975.545 → 975.55 PLN.
            var draft = await invoices.CreateDraftAsync(new SaveInvoiceDraft(party.Id, "EUR", PricingMode.Net, new DateOnly(2026, 11, 13), new DateOnly(2026, 11, 12), null, null,
                [new InvoiceLineInput(null, "Licencja", 1m, 1000.00m, null, "23", null)]));
            invoiceId = (await invoices.IssueAsync(draft.Id)).Id;
        }
        var page = await app.SignedInPageAsync();

        await page.GotoAsync($"/invoices/{invoiceId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("invoice-exchange-rate")).ToContainTextAsync("4.2415 PLN/EUR");
        await Expect(page.GetByTestId("invoice-exchange-rate")).ToContainTextAsync("219/A/NBP/2026");
        await Expect(page.GetByTestId("invoice-vat-pln")).ToContainTextAsync("975.55");

        // The books carry both currencies: VAT 230.00 EUR is 975.55 PLN as stated; net 1000.00 × 4.2415 = 4241.50 PLN;
        // the receivable is their sum, 5217.05 PLN.
        await page.GotoAsync($"/books/journal?documentId={invoiceId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("journal-rate")).ToContainTextAsync("4.2415 PLN 219/A/NBP/2026");
        await Expect(page.GetByTestId("journal-line-221")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"230[.,]00[\s\S]*975[.,]55"));
        await Expect(page.GetByTestId("journal-line-201")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"5\D?217[.,]05"));
        await page.Context.CloseAsync();
    }
}
