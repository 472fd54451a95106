using System.Text.RegularExpressions;
using Kontor.Catalog;
using Kontor.Inventory;
using Kontor.Orders;
using Kontor.Sales;
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
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var customer = await app.CreateCompanyAsync("Odbiorca Paczek " + suffix, UniqueNip(), "ul. Kurierska 5", "00-950", "Warszawa");
        Order order;
        Product product;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            product = await scope.ServiceProvider.GetRequiredService<ProductService>()
                .CreateAsync(new CreateProduct("PACZ-" + suffix, "Lampa " + suffix, ProductKind.Goods, "szt.", 80m, "PLN", "23"));
            await scope.ServiceProvider.GetRequiredService<StockDocumentService>().CreateAndPostAsync(
                new SaveStockDocument(StockDocumentKind.PZ, null, null, [new StockDocumentLineInput(product.Id, 4m, 25m)]));
            order = await scope.ServiceProvider.GetRequiredService<OrderService>().CreateAsync(new CreateOrder(customer.Id, "PLN", PricingMode.Net, null,
                [new InvoiceLineInput(product.Id, null, 3m, null, null, null, null)]));
        }
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

        await page.GotoAsync($"{app.BaseUrl}/customers/{customer.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var shipment = page.GetByTestId("timeline-entry").Filter(new() { HasText = "620987654321" });
        await Expect(shipment.GetByTestId("timeline-summary")).ToContainTextAsync("Shipped · InPost 620987654321");
        await Expect(shipment.GetByTestId("timeline-title")).ToHaveTextAsync(order.Number);
        await page.Context.CloseAsync();
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
