using System.Text.RegularExpressions;
using Kontor.Catalog;
using Kontor.Crm;
using Kontor.Inventory;
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

    [Fact]
    public async Task A_second_warehouse_is_added_made_default_and_refuses_to_be_deactivated_while_it_holds_goods()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var code = "Z" + suffix.ToUpperInvariant();
        Product product;
        await using (var scope = app.Services.CreateAsyncScope())
            product = await scope.ServiceProvider.GetRequiredService<ProductService>()
                .CreateAsync(new CreateProduct("ZAP-" + suffix, "Półka " + suffix, ProductKind.Goods, "szt.", 90m, "PLN", "23"));
        var page = await app.SignedInPageAsync();
        try
        {
            await page.GetByTestId("nav-warehouse").ClickAsync();
            await page.WaitForURLAsync("**/warehouse");
            await KontorAppFixture.WaitForInteractiveAsync(page);
            await page.GetByTestId("tab-warehouses").ClickAsync();
            await page.WaitForURLAsync("**/warehouse/warehouses");
            await KontorAppFixture.WaitForInteractiveAsync(page);
            var main = Row(page, "MAG");
            await Expect(main.GetByTestId("warehouse-default")).ToBeVisibleAsync();

            // A name is required: the refusal shows under the name; the code is taken as typed, upper-cased.
            await page.GetByTestId("warehouse-code").FillAsync(code.ToLowerInvariant());
            await page.GetByTestId("warehouse-create").ClickAsync();
            await Expect(page.GetByTestId("error-name")).ToBeVisibleAsync();
            await page.GetByTestId("warehouse-name-input").FillAsync("Zaplecze " + suffix);
            await page.GetByTestId("warehouse-create").ClickAsync();
            var added = Row(page, code);
            await Expect(added.GetByTestId("warehouse-name")).ToHaveTextAsync("Zaplecze " + suffix);
            await Expect(added.GetByTestId("warehouse-default")).ToHaveCountAsync(0);
            // The same code again is refused next to the code.
            await page.GetByTestId("warehouse-code").FillAsync(code);
            await page.GetByTestId("warehouse-name-input").FillAsync("Drugi");
            await page.GetByTestId("warehouse-create").ClickAsync();
            await Expect(page.GetByTestId("error-code")).ToContainTextAsync("already exists");

            await added.GetByTestId("warehouse-rename").ClickAsync();
            await added.GetByTestId("warehouse-rename-input").FillAsync("Zaplecze sklepu " + suffix);
            await added.GetByTestId("warehouse-rename-save").ClickAsync();
            await Expect(added.GetByTestId("warehouse-name")).ToHaveTextAsync("Zaplecze sklepu " + suffix);

            // Empty, it may be deactivated (and is not offered as the default then) and activated again.
            await added.GetByTestId("warehouse-deactivate").ClickAsync();
            await Expect(added.GetByTestId("warehouse-inactive")).ToBeVisibleAsync();
            await Expect(added.GetByTestId("warehouse-make-default")).ToHaveCountAsync(0);
            await added.GetByTestId("warehouse-activate").ClickAsync();
            await Expect(added.GetByTestId("warehouse-inactive")).ToHaveCountAsync(0);

            await added.GetByTestId("warehouse-make-default").ClickAsync();
            await Expect(added.GetByTestId("warehouse-default")).ToBeVisibleAsync();
            await Expect(main.GetByTestId("warehouse-default")).ToHaveCountAsync(0);
            // The default is not offered for deactivation (the service refuses it too).
            await Expect(added.GetByTestId("warehouse-deactivate")).ToHaveCountAsync(0);
            await Expect(main.GetByTestId("warehouse-deactivate")).ToBeVisibleAsync();

            // Goods received there (2 × 15.00) show on its row; MAG back as default, the new one still refuses to go while it holds them.
            Guid warehouseId;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                warehouseId = (await scope.ServiceProvider.GetRequiredService<WarehouseService>().ListAsync()).Single(w => w.Code == code).Id;
                await scope.ServiceProvider.GetRequiredService<StockDocumentService>().CreateAndPostAsync(
                    new SaveStockDocument(StockDocumentKind.PZ, warehouseId, null, [new StockDocumentLineInput(product.Id, 2m, 15m)]));
            }
            await page.ReloadAsync();
            await KontorAppFixture.WaitForInteractiveAsync(page);
            await Expect(added.GetByTestId("warehouse-products")).ToHaveTextAsync("1");
            await Expect(added.GetByTestId("warehouse-value")).ToHaveTextAsync("30.00 PLN");
            await main.GetByTestId("warehouse-make-default").ClickAsync();
            await Expect(main.GetByTestId("warehouse-default")).ToBeVisibleAsync();
            await added.GetByTestId("warehouse-deactivate").ClickAsync();
            await Expect(added.GetByTestId("warehouse-error")).ToContainTextAsync("still holds goods");
            await Expect(added.GetByTestId("warehouse-inactive")).ToHaveCountAsync(0);
            // The active default offers neither Deactivate nor Activate.
            await Expect(main.GetByTestId("warehouse-deactivate")).ToHaveCountAsync(0);
            await Expect(main.GetByTestId("warehouse-activate")).ToHaveCountAsync(0);
            await KontorAppFixture.ScreenshotAsync(page, "warehouses.png");

            // Someone who sells sees the list but none of the controls.
            var sales = await app.SignedInSalesPageAsync();
            await sales.GotoAsync($"{app.BaseUrl}/warehouse/warehouses");
            await KontorAppFixture.WaitForInteractiveAsync(sales);
            await Expect(Row(sales, code).GetByTestId("warehouse-products")).ToHaveTextAsync("1");
            await Expect(sales.GetByTestId("warehouse-form")).ToHaveCountAsync(0);
            await Expect(sales.GetByTestId("warehouse-rename")).ToHaveCountAsync(0);
            await Expect(sales.GetByTestId("warehouse-deactivate")).ToHaveCountAsync(0);
            await sales.Context.CloseAsync();
        }
        finally
        {
            // Other journeys reserve orders in the default warehouse and expect MAG.
            await using var scope = app.Services.CreateAsyncScope();
            var warehouses = scope.ServiceProvider.GetRequiredService<WarehouseService>();
            var mag = (await warehouses.ListAsync()).Single(w => w.Code == "MAG");
            if (!mag.IsDefault) await warehouses.UpdateAsync(mag.Id, new SaveWarehouse(null, null, IsDefault: true));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_draft_pz_is_edited_in_the_same_form_then_posted_with_the_corrected_quantity()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        Product product;
        await using (var scope = app.Services.CreateAsyncScope())
            product = await scope.ServiceProvider.GetRequiredService<ProductService>()
                .CreateAsync(new CreateProduct("POP-" + suffix, "Krzesło " + suffix, ProductKind.Goods, "szt.", 120m, "PLN", "23"));
        var page = await app.SignedInPageAsync();

        // Typed 50 instead of 5: saved as a draft (no number yet).
        await page.GotoAsync($"{app.BaseUrl}/warehouse/documents/new/PZ");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("stock-line-product-0").SelectOptionAsync(new SelectOptionValue { Value = product.Id.ToString() });
        await page.GetByTestId("stock-line-quantity-0").FillAsync("50");
        await page.GetByTestId("stock-line-cost-0").FillAsync("20.00");
        await page.GetByTestId("stock-form-notes").FillAsync("Dostawa " + suffix);
        await page.GetByTestId("stock-form-save-draft").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/warehouse/documents/[0-9a-f-]{36}$"));
        var detail = page.Url;
        await Expect(page.GetByTestId("stock-document-status")).ToHaveTextAsync("Draft");
        await Expect(page.GetByTestId("stock-document-total")).ToContainTextAsync("1,000.00 PLN");

        // Edit opens the same form, prefilled; a bad quantity is refused under it, the draft is kept as it was.
        await page.GetByTestId("stock-document-edit").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/warehouse/documents/[0-9a-f-]{36}/edit$"));
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("stock-line-quantity-0")).ToHaveValueAsync("50");
        await Expect(page.GetByTestId("stock-line-cost-0")).ToHaveValueAsync("20");
        await Expect(page.GetByTestId("stock-form-notes")).ToHaveValueAsync("Dostawa " + suffix);
        await Expect(page.GetByTestId("stock-line-product-0")).ToHaveValueAsync(product.Id.ToString());
        await page.GetByTestId("stock-line-quantity-0").FillAsync("0");
        await page.GetByTestId("stock-form-save-draft").ClickAsync();
        await Expect(page.GetByTestId("error-lines[0].quantity")).ToBeVisibleAsync();
        await KontorAppFixture.ScreenshotAsync(page, "stock-document-edit.png");
        await page.GetByTestId("stock-line-quantity-0").FillAsync("5");
        await page.GetByTestId("stock-form-save-draft").ClickAsync();
        await page.WaitForURLAsync(detail);
        await Expect(page.GetByTestId("stock-document-status")).ToHaveTextAsync("Draft");
        await Expect(page.GetByTestId("stock-document-total")).ToContainTextAsync("100.00 PLN");

        await page.GetByTestId("stock-document-post").ClickAsync();
        await Expect(page.GetByTestId("stock-document-status")).ToHaveTextAsync("Posted");
        await Expect(page.GetByTestId("stock-document-number")).ToHaveTextAsync(new Regex(@"^PZ/\d{4}/\d{2}/\d+$"));
        await Expect(page.GetByTestId("stock-document-edit")).ToHaveCountAsync(0);
        var row = await StockRowAsync(page, product.Sku);
        await Expect(row.GetByTestId("stock-on-hand")).ToHaveTextAsync("5 szt.");
        await Expect(row.GetByTestId("stock-value")).ToHaveTextAsync("100.00");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_draft_pz_line_given_by_its_value_comes_back_as_that_value_and_saving_keeps_it_exact()
    {
        // 30,000 pieces for 1,000.00: the unit cost is 0.033333, and 30,000 × 0.033333 = 999.99 — re-saving from the cost would lose a grosz.
        var suffix = Guid.NewGuid().ToString("N")[..6];
        StockDocument draft;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var product = await scope.ServiceProvider.GetRequiredService<ProductService>()
                .CreateAsync(new CreateProduct("WART-" + suffix, "Lampka " + suffix, ProductKind.Goods, "szt.", 9m, "PLN", "23"));
            draft = await scope.ServiceProvider.GetRequiredService<StockDocumentService>().CreateDraftAsync(
                new SaveStockDocument(StockDocumentKind.PZ, null, null, [new StockDocumentLineInput(product.Id, 30_000m, Value: 1000m)]));
        }
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/warehouse/documents/{draft.Id}/edit");
        await KontorAppFixture.WaitForInteractiveAsync(page);

        await Expect(page.GetByTestId("stock-line-value-0")).ToHaveValueAsync("1000");
        await Expect(page.GetByTestId("stock-line-cost-0")).ToHaveValueAsync("");
        await page.GetByTestId("stock-form-save-draft").ClickAsync();
        await page.WaitForURLAsync($"{app.BaseUrl}/warehouse/documents/{draft.Id}");
        await Expect(page.GetByTestId("stock-document-total")).ToContainTextAsync("1,000.00 PLN");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Goods_on_a_booked_purchase_invoice_are_received_on_a_pz_prefilled_from_it_and_the_invoice_lists_the_pz()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var number = $"FZ/{suffix}/1";
        var supplier = await app.CreateCompanyAsync("Hurtownia Mebli " + suffix, "5260250274", "ul. Stolarska 1", "00-950", "Warszawa");
        Product product;
        await using (var scope = app.Services.CreateAsyncScope())
            product = await scope.ServiceProvider.GetRequiredService<ProductService>()
                .CreateAsync(new CreateProduct("BIU-" + suffix, "Biurko " + suffix, ProductKind.Goods, "szt.", 900m, "PLN", "23"));
        var page = await app.SignedInPageAsync();

        // The accountant books the supplier's invoice: 1200.00 of desks to 300 (clearing) and 150.00 of transport to 402.
        await page.GotoAsync($"{app.BaseUrl}/books/purchases");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("purchase-supplier").SelectOptionAsync(supplier.Id.ToString());
        await page.GetByTestId("purchase-number").FillAsync(number);
        await page.GetByTestId("purchase-line-description").FillAsync("Biurka dębowe");
        await page.GetByTestId("purchase-line-net").FillAsync("1200.00");
        await page.GetByTestId("purchase-line-account").SelectOptionAsync("300");
        await page.GetByTestId("purchase-add-line").ClickAsync();
        await page.GetByTestId("purchase-line-1").GetByTestId("purchase-line-description").FillAsync("Transport");
        await page.GetByTestId("purchase-line-1").GetByTestId("purchase-line-net").FillAsync("150.00");
        await page.GetByTestId("purchase-line-1").GetByTestId("purchase-line-account").SelectOptionAsync("402");
        await page.GetByTestId("purchase-save-book").ClickAsync();
        var row = page.GetByTestId($"purchase-{number}");
        await Expect(row).ToHaveAttributeAsync("data-status", "Booked");

        // Receive goods (PZ): supplier, the invoice and the goods line's value come prefilled; transport is not proposed.
        await page.GetByTestId($"receive-{number}").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/warehouse/documents/new/PZ\?purchaseInvoiceId=[0-9a-f-]{36}$"));
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("stock-form-purchase-label")).ToContainTextAsync($"{number} of Hurtownia Mebli {suffix}");
        await Expect(page.GetByTestId("stock-form-party")).ToHaveValueAsync(supplier.Id.ToString());
        await Expect(page.GetByTestId("stock-line-hint-0")).ToContainTextAsync("Biurka dębowe");
        await Expect(page.GetByTestId("stock-line-value-0")).ToHaveValueAsync("1200");
        await Expect(page.GetByTestId("stock-line-hint-1")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("stock-form-already-received")).ToHaveCountAsync(0);
        await page.GetByTestId("stock-line-product-0").SelectOptionAsync(new SelectOptionValue { Value = product.Id.ToString() });
        await page.GetByTestId("stock-line-quantity-0").FillAsync("4");
        await KontorAppFixture.ScreenshotAsync(page, "purchase-receipt-pz.png");
        await page.GetByTestId("stock-form-post").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/warehouse/documents/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("stock-document-status")).ToHaveTextAsync("Posted");
        var pzNumber = (await page.GetByTestId("stock-document-number").TextContentAsync())!.Trim();
        Assert.Matches(@"^PZ/\d{4}/\d{2}/\d+$", pzNumber);
        await Expect(page.GetByTestId("stock-document-total")).ToContainTextAsync("1,200.00 PLN");
        await Expect(page.GetByTestId("stock-document-purchase-invoice")).ToContainTextAsync(number);

        var stock = await StockRowAsync(page, product.Sku);
        await Expect(stock.GetByTestId("stock-on-hand")).ToHaveTextAsync("4 szt.");
        await Expect(stock.GetByTestId("stock-value")).ToHaveTextAsync("1,200.00");

        // The invoice's row names the PZ; receiving again warns that it already was.
        await page.GotoAsync($"{app.BaseUrl}/books/purchases");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId($"purchase-receipts-{number}")).ToHaveTextAsync(pzNumber);
        await KontorAppFixture.ScreenshotAsync(page, "purchases-received.png");
        await page.GetByTestId($"receive-{number}").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/warehouse/documents/new/PZ\?purchaseInvoiceId="));
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("stock-form-already-received")).ToContainTextAsync(pzNumber);
        await page.Context.CloseAsync();
    }

    private static ILocator Row(IPage page, string code) => page.Locator($"[data-testid=warehouse-row][data-code='{code}']");

    private async Task<ILocator> StockRowAsync(IPage page, string sku)
    {
        await page.GotoAsync($"{app.BaseUrl}/warehouse");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        return page.Locator($"[data-testid=stock-row][data-sku='{sku}']");
    }
}
