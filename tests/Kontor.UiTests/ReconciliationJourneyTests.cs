using System.Globalization;
using System.Text;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Sales;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>
/// Books → Bank statements → Reconciliation: an imported statement pays an invoice by itself (the customer card shows
/// it), a partial payment waits in the queue until the accountant accepts the suggestion, and the bank's fee (money out)
/// is booked to the bank-fees account.
/// </summary>
[Collection(KontorAppCollection.Name)]
public sealed class ReconciliationJourneyTests(KontorAppFixture app)
{
    private const string CompanyIban = "PL61109010140000071219812874"; // the account every database starts with

    [Fact]
    public async Task Imported_statement_pays_an_invoice_on_the_customer_card_and_a_suggestion_is_accepted_in_the_queue()
    {
        Guid partyId;
        string paidNumber, partNumber;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var party = await scope.ServiceProvider.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Company, "Bankowa Próba Sp. z o.o.", TaxIdKind.None, null,
                new AddressInput("ul. Przelewowa 7", "00-001", "Warszawa", "PL"), null, null, 14, null, "PLN", null, null));
            partyId = party.Id;
            var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            // 10 × 100.00 = 1000.00 + 23 % = 1230.00; 4 × 125.00 = 500.00 + 23 % = 615.00.
            var paid = await invoices.CreateDraftAsync(new SaveInvoiceDraft(party.Id, "PLN", PricingMode.Net, null, null, null, null,
                [new InvoiceLineInput(null, "Przegląd", 10m, 100.00m, null, "23", null)]));
            paidNumber = (await invoices.IssueAsync(paid.Id)).Number!;
            var part = await invoices.CreateDraftAsync(new SaveInvoiceDraft(party.Id, "PLN", PricingMode.Net, null, null, null, null,
                [new InvoiceLineInput(null, "Serwis", 4m, 125.00m, null, "23", null)]));
            partNumber = (await invoices.IssueAsync(part.Id)).Number!;
        }
        var file = Path.Combine(Path.GetTempPath(), $"kontor-reconciliation-{Guid.NewGuid():N}.sta");
        await File.WriteAllTextAsync(file, Statement(
            (1230.00m, $"Zaplata za {paidNumber}", false),
            (333.33m, $"{partNumber} pierwsza rata", false),
            (7.31m, "Prowizja za przelew ekspresowy", true)), Encoding.UTF8);

        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"/customers/{partyId}");
        await Expect(page.GetByTestId("customer-balance")).ToContainTextAsync("1,845.00");

        await page.GotoAsync("/books/bank");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        for (var attempt = 0; ; attempt++)
        {
            await page.Locator("#statement-file").SetInputFilesAsync(file);
            try
            {
                await Expect(page.GetByTestId("import-statement")).ToBeEnabledAsync(new LocatorAssertionsToBeEnabledOptions { Timeout = 3_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 5) { }
        }
        await page.GetByTestId("import-statement").ClickAsync();
        await Expect(page.GetByTestId("statement-matching")).ToContainTextAsync("Matching: 1 paid automatically, 1 with suggestions");

        // The exact match is on the customer card already: 1845.00 − 1230.00.
        await page.GotoAsync($"/customers/{partyId}");
        await Expect(page.GetByTestId("customer-balance")).ToContainTextAsync("615.00");

        await page.GotoAsync("/books");
        await page.GetByTestId("tab-reconciliation").ClickAsync();
        await page.WaitForURLAsync("**/books/reconciliation");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var item = page.GetByTestId("queue-item").Filter(new LocatorFilterOptions { HasText = $"{partNumber} pierwsza rata" });
        // The queue computes its suggestions when it loads (the matching index over every open item): slow on a busy machine.
        await Expect(item.GetByTestId("suggestion").First).ToContainTextAsync("Bankowa Próba", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
        await Expect(item.GetByTestId("suggestion").First).ToContainTextAsync("partial payment");
        await KontorAppFixture.ScreenshotAsync(page, "reconciliation.png");
        await item.GetByTestId("accept-suggestion").First.ClickAsync();
        await Expect(page.GetByTestId("queue-done")).ToContainTextAsync("Payment registered (333.33 PLN).");
        await Expect(page.GetByTestId("queue-item").Filter(new LocatorFilterOptions { HasText = $"{partNumber} pierwsza rata" })).ToHaveCountAsync(0);

        // The bank's fee (money out, no supplier): booked from the queue to the bank-fees account 402-1.
        await page.GetByTestId("queue-outgoing").CheckAsync();
        var fee = page.GetByTestId("queue-item").Filter(new LocatorFilterOptions { HasText = "Prowizja za przelew ekspresowy" });
        await Expect(fee.GetByTestId("book-account")).ToContainTextAsync("402-1");
        await fee.GetByTestId("book-note").FillAsync("Prowizja ekspresowa");
        await fee.GetByTestId("book-line").ClickAsync();
        await Expect(page.GetByTestId("queue-done")).ToContainTextAsync("The line is booked to account 402-1.");
        await Expect(page.GetByTestId("queue-item").Filter(new LocatorFilterOptions { HasText = "Prowizja za przelew ekspresowy" })).ToHaveCountAsync(0);

        // 615.00 − 333.33 = 281.67 still owed.
        await page.GotoAsync($"/customers/{partyId}");
        await Expect(page.GetByTestId("customer-balance")).ToContainTextAsync("281.67");
        File.Delete(file);
    }

    /// <summary>An MT940 statement of the company account dated today, ZBP ~ layout, titles in 27-character pieces; Debit = money out.</summary>
    private static string Statement(params (decimal Amount, string Title, bool Debit)[] lines)
    {
        static string Amount(decimal a) => a.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');
        var today = DateTime.Today;
        var text = new StringBuilder();
        text.Append($":20:UI{Guid.NewGuid():N}"[..20]).Append("\r\n").Append($":25:{CompanyIban}\r\n:28C:1\r\n:60F:C{today:yyMMdd}PLN0,00\r\n");
        for (var i = 0; i < lines.Length; i++)
        {
            var (amount, title, debit) = lines[i];
            var details = new StringBuilder(debit ? "073~00Oplata" : "153~00Przelew");
            for (var k = 0; k * 27 < title.Length && k < 6; k++) details.Append($"~2{k}").Append(title.Substring(k * 27, Math.Min(27, title.Length - k * 27)));
            text.Append($":61:{today:yyMMdd}{today:MMdd}{(debit ? "D" : "C")}{Amount(amount)}NTRFNONREF//UI{i + 1}\r\n:86:{details}\r\n");
        }
        var closing = lines.Sum(l => l.Debit ? -l.Amount : l.Amount);
        text.Append($":62F:{(closing >= 0 ? "C" : "D")}{today:yyMMdd}PLN{Amount(Math.Abs(closing))}\r\n-\r\n");
        return text.ToString();
    }
}
