using System.Text.RegularExpressions;
using Kontor.Catalog;
using Kontor.Inventory;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>The order lifecycle on the order page (docs/commerce.md, "Order lifecycle"): picking, shipping with a tracking number, delivery.</summary>
[Collection(KontorAppCollection.Name)]
public sealed class OrderLifecycleJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task An_order_is_picked_shipped_with_a_tracking_number_and_delivered_and_the_customer_card_shows_the_shipment()
    {
        var (order, product) = await StockedOrderAsync("Odbiorca Paczek", "PACZ", "Lampa", price: 80m, received: 4m, cost: 25m, ordered: 3m);
        var page = await app.SignedInPageAsync();

        await page.GotoAsync($"{app.BaseUrl}/orders/{order.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Accepted");
        await Expect(page.GetByTestId("order-stock-reserved")).ToHaveTextAsync("3");
        await page.GetByTestId("order-to-InProgress").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Picking");

        await page.GetByTestId("order-to-Shipped").ClickAsync();
        // The carrier field suggests the carriers whose tracking pages Kontor knows.
        await Expect(page.Locator("#known-carriers option[value='Poczta Polska']")).ToHaveCountAsync(1);
        await page.GetByTestId("ship-carrier").FillAsync("InPost");
        await page.GetByTestId("ship-tracking").FillAsync("620987654321");
        await page.GetByTestId("ship-confirm").ClickAsync();

        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Shipped");
        await Expect(page.GetByTestId("order-tracking")).ToHaveTextAsync("620987654321");
        await Expect(page.GetByTestId("order-tracking-link")).ToHaveAttributeAsync("href", "https://inpost.pl/sledzenie-przesylek?number=620987654321");
        await Expect(page.GetByTestId("order-carrier")).ToHaveTextAsync("InPost");
        await Expect(page.GetByTestId("order-stock-issued")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("order-stock-reserved")).ToHaveTextAsync("0");
        await Expect(page.GetByTestId("order-history-row")).ToHaveCountAsync(3);
        await KontorAppFixture.ScreenshotAsync(page, "order-shipped.png");

        // Stock dropped from 4 to 1.
        await page.GotoAsync($"{app.BaseUrl}/warehouse");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.Locator($"[data-testid=stock-row][data-sku='{product.Sku}']").GetByTestId("stock-on-hand")).ToHaveTextAsync("1 szt.");

        await page.GotoAsync($"{app.BaseUrl}/orders/{order.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("order-to-Delivered").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Delivered");
        await Expect(page.GetByTestId("order-delivered-on")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-history-row")).ToHaveCountAsync(4);

        await page.GotoAsync($"{app.BaseUrl}/customers/{order.PartyId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var shipment = page.GetByTestId("timeline-entry").Filter(new() { HasText = "620987654321" });
        await Expect(shipment.GetByTestId("timeline-summary")).ToContainTextAsync("Shipped · InPost 620987654321");
        await Expect(shipment.GetByTestId("timeline-title")).ToHaveTextAsync(order.Number);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Part_of_an_order_is_issued_from_the_stock_card_and_shipping_issues_the_rest()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var customer = await app.CreateCompanyAsync("Odbiorca Części " + suffix, UniqueNip(), "ul. Magazynowa 7", "00-950", "Warszawa");
        Order order;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var products = scope.ServiceProvider.GetRequiredService<ProductService>();
            var lamp = await products.CreateAsync(new CreateProduct("CZ-A-" + suffix, "Lampa " + suffix, ProductKind.Goods, "szt.", 80m, "PLN", "23"));
            var shade = await products.CreateAsync(new CreateProduct("CZ-B-" + suffix, "Klosz " + suffix, ProductKind.Goods, "szt.", 30m, "PLN", "23"));
            await scope.ServiceProvider.GetRequiredService<StockDocumentService>().CreateAndPostAsync(
                new SaveStockDocument(StockDocumentKind.PZ, null, null, [new StockDocumentLineInput(lamp.Id, 4m, 25m), new StockDocumentLineInput(shade.Id, 2m, 10m)]));
            order = await scope.ServiceProvider.GetRequiredService<OrderService>().CreateAsync(new CreateOrder(customer.Id, "PLN", PricingMode.Net, null,
                [new InvoiceLineInput(lamp.Id, null, 3m, null, null, null, null), new InvoiceLineInput(shade.Id, null, 2m, null, null, null, null)]));
        }
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/orders/{order.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("order-stock-state")).ToHaveTextAsync("Reserved");

        // The form starts from what is left of each line: 3 lamps, 2 shades.
        await page.GetByTestId("order-issue-part").ClickAsync();
        var quantities = page.GetByTestId("issue-part-quantity");
        await Expect(quantities).ToHaveCountAsync(2);
        await Expect(quantities.Nth(0)).ToHaveValueAsync("3");
        await Expect(quantities.Nth(1)).ToHaveValueAsync("2");

        // More lamps than ordered: the service's refusal lands on the lamp's row and nothing leaves.
        await quantities.Nth(0).FillAsync("5");
        await page.GetByTestId("issue-part-submit").ClickAsync();
        await Expect(page.GetByTestId("issue-part-line").Nth(0).GetByTestId("error-lines[0].quantity")).ToContainTextAsync("3 szt. more");
        await Expect(page.GetByTestId("order-stock-state")).ToHaveTextAsync("Reserved");
        await KontorAppFixture.ScreenshotAsync(page, "order-issue-part.png");

        // Two lamps now; the shades (set to 0) stay on the shelf for later.
        await quantities.Nth(0).FillAsync("2");
        await quantities.Nth(1).FillAsync("0");
        await page.GetByTestId("issue-part-submit").ClickAsync();
        await Expect(page.GetByTestId("order-stock-state")).ToHaveTextAsync("Partly issued");
        await Expect(page.GetByTestId("order-links")).ToContainTextAsync("WZ/");
        await Expect(page.GetByTestId("order-stock-issued")).ToHaveTextAsync(["2", "0"]);
        await Expect(page.GetByTestId("order-stock-reserved")).ToHaveTextAsync(["1", "2"]);
        await Expect(page.GetByTestId("issue-part-form")).ToHaveCountAsync(0);
        await KontorAppFixture.ScreenshotAsync(page, "order-partly-issued.png");

        // Shipping issues the rest: the last lamp and both shades.
        await page.GetByTestId("order-to-Shipped").ClickAsync();
        await page.GetByTestId("ship-carrier").FillAsync("DPD");
        await page.GetByTestId("ship-confirm").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Shipped");
        await Expect(page.GetByTestId("order-stock-state")).ToHaveTextAsync("Issued");
        await Expect(page.GetByTestId("order-stock-issued")).ToHaveTextAsync(["3", "2"]);
        await Expect(page.GetByTestId("order-stock-reserved")).ToHaveTextAsync(["0", "0"]);
        await Expect(page.GetByTestId("order-issue-part")).ToHaveCountAsync(0);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            Assert.Equal(2, await db.StockDocuments.CountAsync(d => d.OrderId == order.Id && d.Kind == StockDocumentKind.WZ));
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cancelling_asks_once_more_and_keeping_the_order_changes_nothing()
    {
        var (order, _) = await StockedOrderAsync("Rezygnacja", "ANUL", "Krzesło", price: 120m, received: 2m, cost: 60m, ordered: 2m);
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/orders/{order.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);

        await page.GetByTestId("order-to-Cancelled").ClickAsync();
        await Expect(page.GetByTestId("cancel-form")).ToContainTextAsync($"Cancel order {order.Number}?");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Accepted");   // nothing happened yet
        await page.GetByTestId("cancel-keep").ClickAsync();
        await Expect(page.GetByTestId("cancel-form")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Accepted");
        await Expect(page.GetByTestId("order-stock-reserved")).ToHaveTextAsync("2");

        await page.GetByTestId("order-to-Cancelled").ClickAsync();
        await page.GetByTestId("cancel-confirm").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.GetByTestId("cancel-form")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("order-stock-reserved")).ToHaveTextAsync("0");
    }

    /// <summary>A company customer's order for one product received on a PZ beforehand (so it is reserved); names made unique.</summary>
    private async Task<(Order Order, Product Product)> StockedOrderAsync(string customerName, string skuPrefix, string productName,
        decimal price, decimal received, decimal cost, decimal ordered)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var customer = await app.CreateCompanyAsync($"{customerName} {suffix}", UniqueNip(), "ul. Kurierska 5", "00-950", "Warszawa");
        await using var scope = app.Services.CreateAsyncScope();
        var product = await scope.ServiceProvider.GetRequiredService<ProductService>()
            .CreateAsync(new CreateProduct($"{skuPrefix}-{suffix}", $"{productName} {suffix}", ProductKind.Goods, "szt.", price, "PLN", "23"));
        await scope.ServiceProvider.GetRequiredService<StockDocumentService>().CreateAndPostAsync(
            new SaveStockDocument(StockDocumentKind.PZ, null, null, [new StockDocumentLineInput(product.Id, received, cost)]));
        var order = await scope.ServiceProvider.GetRequiredService<OrderService>().CreateAsync(new CreateOrder(customer.Id, "PLN", PricingMode.Net, null,
            [new InvoiceLineInput(product.Id, null, ordered, null, null, null, null)]));
        return (order, product);
    }

    private static string UniqueNip()
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        while (true)
        {
            var body = "78" + Random.Shared.Next(10_000_000).ToString("D7");
            var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
            if (sum % 11 != 10) return body + (sum % 11);
        }
    }
}
