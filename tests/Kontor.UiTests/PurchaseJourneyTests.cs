using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>
/// The accountant enters a supplier's invoice, books it and finds it in the purchase VAT register of its month, pays it
/// from the payment form (it drops out of AP aging), edits and deletes a draft, and books a correction of the invoice.
/// Its own app and database: the purchase register and AP aging would otherwise show other journeys' documents.
/// </summary>
public sealed class PurchaseJourneyTests(KontorAppFixture app) : IClassFixture<KontorAppFixture>
{
    [Fact]
    public async Task Enter_a_purchase_invoice_book_it_and_see_it_in_the_purchase_register()
    {
        var supplier = await app.CreateCompanyAsync("Dostawca Biurowy Sp. z o.o.", "5260250274", "ul. Papierowa 3", "00-950", "Warszawa");
        var page = await app.SignedInPageAsync();

        await page.GotoAsync("/books");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("tab-purchases").ClickAsync();
        await page.WaitForURLAsync(app.BaseUrl + "/books/purchases");
        await KontorAppFixture.WaitForInteractiveAsync(page);

        await page.GetByTestId("purchase-supplier").SelectOptionAsync(supplier.Id.ToString());
        await page.GetByTestId("purchase-issue-date").FillAsync("2026-11-05");
        await page.GetByTestId("purchase-line-description").FillAsync("Papier i tonery");
        await page.GetByTestId("purchase-line-net").FillAsync("1000.00");
        await page.GetByTestId("purchase-line-vat").SelectOptionAsync("23");
        await page.GetByTestId("purchase-line-account").SelectOptionAsync("401");
        // No supplier's number: the service's error is shown next to the field and nothing is saved.
        await page.GetByTestId("purchase-save").ClickAsync();
        await Expect(page.GetByTestId("error-supplierInvoiceNumber")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("purchase-invoices")).ToHaveCountAsync(0);

        await page.GetByTestId("purchase-number").FillAsync("FS/2026/11/0042");
        await page.GetByTestId("purchase-save").ClickAsync();
        await Expect(page.GetByTestId("purchase-done")).ToContainTextAsync("FS/2026/11/0042");
        var row = page.GetByTestId("purchase-FS/2026/11/0042");
        await Expect(row).ToHaveAttributeAsync("data-status", "Draft");
        // 1000.00 net + 23 % = 1230.00 gross.
        await Expect(row).ToContainTextAsync("1,230.00 PLN");
        await Expect(row).ToContainTextAsync("Dostawca Biurowy");

        await page.GetByTestId("book-FS/2026/11/0042").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-status", "Booked");
        await Expect(page.GetByTestId("purchase-done")).ToContainTextAsync("booked");

        // The VAT tab, November 2026: the invoice with its deductible VAT (other purchases: 1000.00 net, 230.00 VAT).
        await page.GetByTestId("tab-vat").ClickAsync();
        await page.WaitForURLAsync(app.BaseUrl + "/books/vat");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("vat-month").FillAsync("2026-11");
        await page.GetByTestId("vat-month").DispatchEventAsync("change");
        var registerRow = page.GetByTestId("purchase-row-FS/2026/11/0042");
        await Expect(registerRow).ToContainTextAsync("Dostawca Biurowy");
        await Expect(registerRow).ToContainTextAsync("5260250274");
        await Expect(registerRow.GetByTestId("other-net")).ToHaveTextAsync(new Regex(@"^\s*1,000\.00\s*$"));
        await Expect(registerRow.GetByTestId("other-vat")).ToHaveTextAsync(new Regex(@"^\s*230\.00\s*$"));
        await Expect(page.GetByTestId("download-jpk")).ToHaveAttributeAsync("href", "/api/vat/jpk?year=2026&month=11");
        await Expect(page.GetByTestId("download-purchases-csv")).ToHaveAttributeAsync("href", "/api/vat/registers/purchases.csv?year=2026&month=11");
        await Expect(page.GetByTestId("download-purchases-xlsx")).ToHaveAttributeAsync("href", "/api/vat/registers/purchases.xlsx?year=2026&month=11");
        await Expect(page.GetByTestId("download-sales-xlsx")).ToHaveAttributeAsync("href", "/api/vat/registers/sales.xlsx?year=2026&month=11");

        // A month without documents shows the empty register, not the November row.
        await page.GetByTestId("vat-month").FillAsync("2026-10");
        await page.GetByTestId("vat-month").DispatchEventAsync("change");
        await Expect(page.GetByTestId("purchase-register-empty")).ToBeVisibleAsync();

        // Back to purchases: the invoice is owed (AP aging), the supplier is paid in full from the payment form, and it drops out.
        await page.GetByTestId("tab-purchases").ClickAsync();
        await page.WaitForURLAsync(app.BaseUrl + "/books/purchases");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var agingRow = page.GetByTestId($"aging-{supplier.Id}-PLN");
        await Expect(agingRow).ToContainTextAsync("1,230.00");
        await page.GetByTestId("pay-supplier").SelectOptionAsync(supplier.Id.ToString());
        var payable = page.GetByTestId("pay-invoice-FS/2026/11/0042");
        await Expect(payable).ToContainTextAsync("1,230.00 PLN");
        await payable.GetByTestId("pay-in-full").ClickAsync();
        await Expect(payable.GetByTestId("pay-invoice-amount")).ToHaveValueAsync(new Regex(@"^1,?230(\.00)?$"));
        await page.GetByTestId("pay-reference").FillAsync("Przelew FS/2026/11/0042");
        await page.GetByTestId("pay-submit").ClickAsync();
        await Expect(page.GetByTestId("pay-done")).ToContainTextAsync("1,230.00 PLN");
        await Expect(page.GetByTestId("pay-nothing-open")).ToBeVisibleAsync();
        await Expect(agingRow).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("purchase-FS/2026/11/0042")).ToContainTextAsync("0.00 PLN");
        await Expect(page.GetByTestId("aging-export-xlsx")).ToHaveAttributeAsync("href", new Regex(@"^/api/payables/aging\?asOf=\d{4}-\d{2}-\d{2}&format=xlsx$"));

        // A draft is edited (its number) and then deleted from the list.
        await page.GetByTestId("purchase-supplier").SelectOptionAsync(supplier.Id.ToString());
        await page.GetByTestId("purchase-number").FillAsync("FS/2026/11/0050");
        await page.GetByTestId("purchase-issue-date").FillAsync("2026-11-06");
        await page.GetByTestId("purchase-line-net").FillAsync("10.00");
        await page.GetByTestId("purchase-line-account").SelectOptionAsync("402");
        await page.GetByTestId("purchase-save").ClickAsync();
        await Expect(page.GetByTestId("purchase-FS/2026/11/0050")).ToHaveAttributeAsync("data-status", "Draft");
        await page.GetByTestId("edit-FS/2026/11/0050").ClickAsync();
        await Expect(page.GetByTestId("purchase-form")).ToHaveAttributeAsync("data-mode", "edit");
        await Expect(page.GetByTestId("purchase-number")).ToHaveValueAsync("FS/2026/11/0050");
        await page.GetByTestId("purchase-number").FillAsync("FS/2026/11/0051");
        await page.GetByTestId("purchase-save").ClickAsync();
        await Expect(page.GetByTestId("purchase-FS/2026/11/0051")).ToHaveAttributeAsync("data-status", "Draft");
        await Expect(page.GetByTestId("purchase-FS/2026/11/0050")).ToHaveCountAsync(0);
        await page.GetByTestId("delete-FS/2026/11/0051").ClickAsync();
        await Expect(page.GetByTestId("purchase-FS/2026/11/0051")).ToHaveCountAsync(0);

        // A correction of the booked invoice: −100.00 net at 23 % lowers it by 123.00, which the supplier now owes us back.
        await page.GetByTestId("correct-FS/2026/11/0042").ClickAsync();
        await Expect(page.GetByTestId("purchase-form")).ToHaveAttributeAsync("data-mode", "correction");
        await page.GetByTestId("purchase-number").FillAsync("KOR/2026/11/7");
        await page.GetByTestId("purchase-correction-reason").FillAsync("Rabat");
        await page.GetByTestId("purchase-line-net").FillAsync("-100.00");
        await page.GetByTestId("purchase-line-account").SelectOptionAsync("401");
        await page.GetByTestId("purchase-save-book").ClickAsync();
        var correction = page.GetByTestId("purchase-KOR/2026/11/7");
        await Expect(correction).ToHaveAttributeAsync("data-status", "Booked");
        await Expect(correction).ToContainTextAsync("-123.00 PLN");
        await Expect(correction.GetByTestId("purchase-kind-correction")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
