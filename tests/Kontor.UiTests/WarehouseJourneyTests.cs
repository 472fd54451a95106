using System.Text.RegularExpressions;
using Kontor.Catalog;
using Kontor.Crm;
using Kontor.Orders;
using Kontor.Sales;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class WarehouseJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Goods_received_on_a_pz_show_in_stock_and_an_order_issued_on_a_wz_takes_them_out()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var customer = await app.CreateCompanyAsync("Sklep Magazynowy " + suffix, "5213000009", "ul. Składowa 3", "00-950", "Warszawa");
        Product product;
        await using (var scope = app.Services.CreateAsyncScope())
            product = await scope.ServiceProvider.GetRequiredService<ProductService>()
                .CreateAsync(new CreateProduct("MAG-" + suffix, "Regał " + suffix, ProductKind.Goods, "szt.", 150m, "PLN", "23"));
        var page = await app.SignedInPageAsync();

        // Receive 5 at 20.00 on a PZ, posted at once.
        await page.GetByTestId("nav-warehouse").ClickAsync();
        await page.WaitForURLAsync("**/warehouse");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("new-PZ").ClickAsync();
        await page.WaitForURLAsync("**/warehouse/documents/new/PZ");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("stock-line-product-0").SelectOptionAsync(new SelectOptionValue { Value = product.Id.ToString() });
        await page.GetByTestId("stock-line-quantity-0").FillAsync("5");
        await page.GetByTestId("stock-line-cost-0").FillAsync("20.00");
        await page.GetByTestId("stock-form-post").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/warehouse/documents/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("stock-document-status")).ToHaveTextAsync("Posted");
        await Expect(page.GetByTestId("stock-document-number")).ToHaveTextAsync(new Regex(@"^PZ/\d{4}/\d{2}/\d+$"));
        await Expect(page.GetByTestId("stock-document-total")).ToContainTextAsync("100.00 PLN");   // 5 × 20.00

        var row = await StockRowAsync(page, product.Sku);
        await Expect(row.GetByTestId("stock-on-hand")).ToHaveTextAsync("5 szt.");
        await Expect(row.GetByTestId("stock-available")).ToHaveTextAsync("5");
        await Expect(row.GetByTestId("stock-value")).ToHaveTextAsync("100.00");

        // An order of 3 reserves them; the order page issues the goods on a WZ at 3 × 20.00 = 60.00.
        Order order;
        await using (var scope = app.Services.CreateAsyncScope())
            order = await scope.ServiceProvider.GetRequiredService<OrderService>().CreateAsync(new CreateOrder(customer.Id, "PLN", PricingMode.Net, null,
                [new InvoiceLineInput(product.Id, null, 3m, null, null, null, null)]));
        row = await StockRowAsync(page, product.Sku);
        await Expect(row.GetByTestId("stock-reserved")).ToHaveTextAsync("3");
        await Expect(row.GetByTestId("stock-available")).ToHaveTextAsync("2");

        await page.GotoAsync($"{app.BaseUrl}/orders/{order.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("order-stock-state")).ToHaveTextAsync("Reserved");
        await page.GetByTestId("order-issue-goods").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/warehouse/documents/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("stock-document-number")).ToHaveTextAsync(new Regex(@"^WZ/\d{4}/\d{2}/\d+$"));
        await Expect(page.GetByTestId("stock-document-total")).ToContainTextAsync("60.00 PLN");
        await KontorAppFixture.ScreenshotAsync(page, "warehouse-wz.png");

        row = await StockRowAsync(page, product.Sku);
        await Expect(row.GetByTestId("stock-on-hand")).ToHaveTextAsync("2 szt.");
        await Expect(row.GetByTestId("stock-reserved")).ToHaveTextAsync("0");
        await Expect(row.GetByTestId("stock-value")).ToHaveTextAsync("40.00");
        await KontorAppFixture.ScreenshotAsync(page, "warehouse-stock.png");
        await page.Context.CloseAsync();
    }

    private async Task<ILocator> StockRowAsync(IPage page, string sku)
    {
        await page.GotoAsync($"{app.BaseUrl}/warehouse");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        return page.Locator($"[data-testid=stock-row][data-sku='{sku}']");
    }
}
