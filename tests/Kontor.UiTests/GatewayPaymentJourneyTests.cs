using Kontor.Common;
using Kontor.Crm;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>
/// The shop's "paid" never reached Kontor: the accountant records the Przelewy24 payment on the customer card as paid
/// through the payment gateway. It settles the invoice, lands on the clearing account 145 (not the bank), and the
/// timeline says it went through the gateway.
/// </summary>
[Collection(KontorAppCollection.Name)]
public sealed class GatewayPaymentJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task A_payment_recorded_through_the_gateway_on_the_customer_card_settles_the_invoice_on_145()
    {
        Guid partyId, invoiceId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var party = await scope.ServiceProvider.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Person, "Anna Bramkowa", TaxIdKind.None, null,
                new AddressInput("ul. Sklepowa 4", "00-002", "Warszawa", "PL"), null, null, 14, null, "PLN", null, null));
            partyId = party.Id;
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            // 2 × 500.00 = 1000.00 + 23 % = 1230.00.
            var draft = await invoices.CreateDraftAsync(new SaveInvoiceDraft(party.Id, "PLN", PricingMode.Net, null, null, null, null,
                [new InvoiceLineInput(null, "Ekspres do kawy", 2m, 500.00m, null, "23", null)]));
            invoiceId = (await invoices.IssueAsync(draft.Id)).Id;
        }

        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"/customers/{partyId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("customer-balance")).ToContainTextAsync("1,230.00");
        await Expect(page.GetByTestId("payment-via")).ToHaveValueAsync(nameof(PaymentVia.Bank));
        await Expect(page.GetByTestId("payment-via-hint")).ToHaveCountAsync(0);

        await page.Locator("#payment-amount").FillAsync("1230.00");
        await page.Locator("#payment-reference").FillAsync("P24 #4711");
        await page.GetByTestId("payment-via").SelectOptionAsync(nameof(PaymentVia.GatewayClearing));
        await Expect(page.GetByTestId("payment-via-hint")).ToContainTextAsync("145");
        await KontorAppFixture.ScreenshotAsync(page, "customer-gateway-payment.png");
        await page.GetByTestId("register-payment").ClickAsync();

        await Expect(page.GetByTestId("payment-done")).ToContainTextAsync("Payment registered.");
        await Expect(page.GetByTestId("customer-balance")).ToContainTextAsync("0.00");
        // The next payment is a bank one again unless the person says otherwise.
        await Expect(page.GetByTestId("payment-via")).ToHaveValueAsync(nameof(PaymentVia.Bank));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            var item = await db.OpenItems.SingleAsync(o => o.SourceId == invoiceId);
            Assert.Equal((0m, true), (item.OpenAmount, item.SettledOn is not null));
            var payment = await db.Payments.SingleAsync(p => p.PartyId == partyId);
            Assert.Equal((PaymentVia.GatewayClearing, 1230.00m), (payment.Via, payment.Amount));
            var lines = await db.JournalLines.Where(l => db.JournalEntries.Any(e => e.Id == l.EntryId && e.SourceType == PaymentService.SourceType && e.SourceId == payment.Id)).Select(l => new { l.AccountCode, l.Debit, l.Credit }).ToListAsync();
            Assert.Equal([("145", 1230.00m, 0m), ("201", 0m, 1230.00m)], lines.Select(l => (l.AccountCode, l.Debit, l.Credit)).OrderBy(l => l.AccountCode).ToArray());
        }
        await page.GetByTestId("timeline-filter").SelectOptionAsync("Payments");
        var entry = page.GetByTestId("timeline-entry");
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry.GetByTestId("timeline-summary")).ToHaveTextAsync("payment gateway · P24 #4711");

        // In Polish the timeline speaks Polish: the payment's title and way, the invoice's due date, no English left over.
        await page.GetByTestId("lang-pl").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "pl");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var paymentEntry = page.Locator("[data-testid=timeline-entry][data-kind=Payment]");
        await Expect(paymentEntry.GetByTestId("timeline-title")).ToHaveTextAsync("Wpłata otrzymana");
        await Expect(paymentEntry.GetByTestId("timeline-summary")).ToHaveTextAsync("bramka płatności · P24 #4711");
        var invoice = page.Locator("[data-testid=timeline-entry][data-kind=Invoice]");
        await Expect(invoice.GetByTestId("timeline-summary")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^termin płatności \d{2}\.\d{2}\.\d{4}$"));
    }
}
