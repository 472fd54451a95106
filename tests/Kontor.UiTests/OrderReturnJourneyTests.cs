using System.Text.RegularExpressions;
using Kontor.Catalog;
using Kontor.Inventory;
using Kontor.Ledger;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class OrderReturnJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task On_a_shipped_order_one_line_is_returned_with_a_refund_the_correction_is_linked_the_status_moves_and_the_stock_is_back()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var customer = await app.CreateCompanyAsync("Sklep Zwrotów " + suffix, "9512345675", "ul. Zwrotna 1", "00-950", "Warszawa");
        Product product;
        Order order;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var sp = scope.ServiceProvider;
            product = await sp.GetRequiredService<ProductService>().CreateAsync(new CreateProduct("ZWR-" + suffix, "Lampa " + suffix, ProductKind.Goods, "szt.", 100m, "PLN", "23"));
            await sp.GetRequiredService<StockDocumentService>().CreateAndPostAsync(new SaveStockDocument(StockDocumentKind.PZ, null, null,
                [new StockDocumentLineInput(product.Id, 4m, 25.00m)]));
            var orders = sp.GetRequiredService<OrderService>();
            order = await orders.CreateAsync(new CreateOrder(customer.Id, "PLN", PricingMode.Net, null, [new InvoiceLineInput(product.Id, null, 2m, null, null, null, null)]));
            var draft = await orders.InvoiceAsync([order.Id]);
            var invoice = await sp.GetRequiredService<InvoiceService>().IssueAsync(draft.Id);
            // 2 × 100.00 net + 23 % = 246.00, paid in full.
            await sp.GetRequiredService<PaymentService>().RegisterAsync(new RegisterPayment(customer.Id, null, invoice.TotalGross, "PLN", "Przelew " + suffix, [new AllocationInput(invoice.Id, invoice.TotalGross)]));
            await sp.GetRequiredService<IOrderFulfilment>().IssueForOrderAsync(order.Id);
            await orders.ChangeStatusAsync(order.Id, OrderStatus.InProgress);
            await orders.ChangeStatusAsync(order.Id, OrderStatus.Shipped);
        }

        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/orders/{order.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Shipped");
        await page.GetByTestId("order-return-open").ClickAsync();
        // Over-return first: the service's refusal lands on the line, nothing is written.
        await page.GetByTestId("order-return-quantity").First.FillAsync("3");
        await page.GetByTestId("order-return-reason").FillAsync("Uszkodzona w transporcie");
        await page.GetByTestId("order-return-submit").ClickAsync();
        await Expect(page.GetByTestId("order-return-form")).ToContainTextAsync("at most 2");

        await page.GetByTestId("order-return-quantity").First.FillAsync("2");
        await Expect(page.GetByTestId("order-return-refund")).ToBeCheckedAsync();
        await page.GetByTestId("order-return-submit").ClickAsync();

        var returned = page.GetByTestId("order-return");
        await Expect(returned).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Returned");
        await Expect(page.GetByTestId("order-return-correction")).ToHaveTextAsync(new Regex(@"^KOR/"));
        await Expect(page.GetByTestId("order-return-zw")).ToHaveTextAsync(new Regex(@"^ZW/"));
        await Expect(page.GetByTestId("order-return-refunded")).ToContainTextAsync(new Regex(@"246[.,]00"));
        // Paid by one bank transfer: one refund, back through the bank (decision 51).
        await Expect(page.GetByTestId("order-return-refunded-via")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("order-return-refunded-via")).ToContainTextAsync(new Regex(@"(przelew|bank|банк).*246[.,]00"));
        await Expect(page.GetByTestId("order-links")).ToContainTextAsync("KOR/");
        // The order's stock table says what came back beside what left.
        await Expect(page.GetByTestId("order-stock-issued")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("order-stock-returned")).ToHaveTextAsync("2");
        // Everything that left came back.
        await Expect(page.GetByTestId("order-stock-state")).ToHaveTextAsync("All returned");
        await KontorAppFixture.ScreenshotAsync(page, "order-return.png");

        // Stock back: 4 received − 2 issued + 2 returned.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            var onHand = (await db.StockLevels.Where(s => s.ProductId == product.Id).Select(s => s.OnHand).ToListAsync()).Sum();
            Assert.Equal(4m, onHand);
        }
        await page.GetByTestId("order-return-correction").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
    }
}
