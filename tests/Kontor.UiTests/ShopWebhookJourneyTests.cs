using System.Text.Json.Nodes;
using Kontor.Catalog;
using Kontor.Commerce;
using Kontor.Inventory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class ShopWebhookJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task A_signed_WooCommerce_order_appears_in_the_order_list_on_the_customer_card_in_the_integration_log_and_reserves_its_stock()
    {
        const string secret = "ui-test-shop-secret-2026";
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var sku = "UI-KUBEK-" + suffix;
        Guid channelId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var product = await scope.ServiceProvider.GetRequiredService<ProductService>().CreateAsync(new CreateProduct(sku, "Kubek UI", ProductKind.Goods, "szt.", 45.00m, "PLN", "23"));
            // 10 mugs on the shelf (a posted PZ at 20.00), so the order's 2 are reserved from stock rather than backordered.
            await scope.ServiceProvider.GetRequiredService<StockDocumentService>().CreateAndPostAsync(
                new SaveStockDocument(StockDocumentKind.PZ, null, null, [new StockDocumentLineInput(product.Id, 10m, 20.00m)]));
            channelId = (await scope.ServiceProvider.GetRequiredService<SalesChannelService>().CreateAsync(new SaveSalesChannel("Sklep UI " + suffix, ChannelType.WooCommerce,
                secret, null, null, null, InvoiceMoment.OnPayment, null, null, true, Kontor.Sales.PricingMode.Net, null))).Id;
        }
        var externalId = Random.Shared.Next(100_000, 999_999);
        var email = $"ui{suffix.ToLowerInvariant()}@example.com";
        var order = new JsonObject
        {
            ["id"] = externalId, ["number"] = externalId.ToString(), ["status"] = "processing", ["currency"] = "PLN",
            ["date_modified_gmt"] = "2026-03-20T10:02:14", ["date_paid_gmt"] = "2026-03-20T10:02:14",
            ["billing"] = new JsonObject { ["first_name"] = "Ewa", ["last_name"] = "Sklepowa " + suffix, ["email"] = email, ["city"] = "Gdańsk", ["postcode"] = "80-001", ["country"] = "PL" },
            ["line_items"] = new JsonArray(new JsonObject { ["sku"] = sku, ["name"] = "Kubek UI", ["quantity"] = 2, ["total"] = "90.00", ["total_tax"] = "20.70" }),
        };
        var body = order.ToJsonString();
        var page = await app.SignedInPageAsync();
        var stock = await StockRowAsync(page, sku);
        await Expect(stock.GetByTestId("stock-on-hand")).ToHaveTextAsync("10 szt.");
        await Expect(stock.GetByTestId("stock-reserved")).ToHaveTextAsync("0");
        await Expect(stock.GetByTestId("stock-available")).ToHaveTextAsync("10");

        using var response = await app.SendWooCommerceWebhookAsync(channelId, secret, body);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        var orderNumber = (string)answer["orderNumber"]!;

        await page.GetByTestId("nav-orders").ClickAsync();
        await page.WaitForURLAsync("**/orders");
        var row = page.GetByTestId("order-table").Locator("tr", new() { HasText = orderNumber });
        await Expect(row).ToContainTextAsync("Ewa Sklepowa " + suffix);
        // 2 × 45.00 net + 23 % VAT = 110.70 gross.
        await Expect(row).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"110[.,]70"));

        // The order's page says who ordered it and which shop order it is, with the totals per VAT rate.
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await row.GetByRole(AriaRole.Link, new() { Name = orderNumber }).ClickAsync();
        await Expect(page.GetByTestId("order-number")).ToHaveTextAsync(orderNumber);
        await Expect(page.GetByTestId("order-customer")).ToHaveTextAsync("Ewa Sklepowa " + suffix);
        await Expect(page.GetByTestId("order-external-id")).ToContainTextAsync(externalId.ToString());
        await Expect(page.GetByTestId("invoice-total-gross")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^110[.,]70\sPLN$"));
        // Its shop messages: the delivery that made it, with what the shop sent and what Kontor answered.
        var message = page.GetByTestId("shop-messages").Locator("tr.log-row");
        await Expect(message).ToHaveCountAsync(1);
        await Expect(message.GetByTestId("log-external-id")).ToHaveTextAsync(externalId.ToString());
        await Expect(message.GetByTestId("log-status")).ToHaveTextAsync("Accepted");
        await message.Locator("summary").ClickAsync();
        // The payload as a person reads it: indented, and the shop's \u-escaped Polish letters as letters.
        await Expect(message.Locator("pre").First).ToContainTextAsync($"\"id\": {externalId}");
        await Expect(message.Locator("pre").First).ToContainTextAsync("\"city\": \"Gdańsk\"");
        await Expect(message.Locator("pre").Last).ToContainTextAsync(orderNumber);
        var orderUrl = page.Url;
        await KontorAppFixture.ScreenshotAsync(page, "shop-order.png");

        await page.GetByTestId("nav-customers").ClickAsync();
        await page.WaitForURLAsync("**/customers");
        var customerLink = page.GetByRole(AriaRole.Link, new() { Name = "Ewa Sklepowa " + suffix, Exact = true });
        await Expect(customerLink).ToHaveCountAsync(1);
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await customerLink.ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/customers/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("customer-name")).ToHaveTextAsync("Ewa Sklepowa " + suffix);
        await Expect(page.GetByTestId("customer-timeline")).ToContainTextAsync(orderNumber);

        await page.GotoAsync("/settings/integrations");
        await Expect(page.GetByTestId("channels")).ToContainTextAsync($"/api/webhooks/{channelId}/woocommerce");
        await Expect(page.GetByTestId("channels")).Not.ToContainTextAsync(secret);
        // Support asks "did #<id> reach us?": the log finds it by the id as the customer quotes it, and leads to the order.
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var log = page.GetByTestId("integration-log");
        await page.Locator("#log-search").FillAsync("#" + externalId);
        await page.Locator("#log-search").PressAsync("Enter");
        await Expect(log.GetByTestId("log-external-id")).Not.ToHaveCountAsync(0);
        foreach (var shopId in await log.GetByTestId("log-external-id").AllInnerTextsAsync())
            Assert.Contains(externalId.ToString(), shopId);
        var logged = log.Locator("tr.log-row", new() { HasText = "Sklep UI " + suffix });
        await Expect(logged).ToHaveCountAsync(1);
        await Expect(logged).ToContainTextAsync("order-webhook");
        await KontorAppFixture.ScreenshotAsync(page, "integrations.png");
        await logged.GetByTestId("log-order").ClickAsync();
        await page.WaitForURLAsync(orderUrl);
        await Expect(page.GetByTestId("order-number")).ToHaveTextAsync(orderNumber);

        // The order reserved its 2 mugs: still 10 on the shelf, 2 reserved, 8 left to sell.
        stock = await StockRowAsync(page, sku);
        await Expect(stock.GetByTestId("stock-on-hand")).ToHaveTextAsync("10 szt.");
        await Expect(stock.GetByTestId("stock-reserved")).ToHaveTextAsync("2");
        await Expect(stock.GetByTestId("stock-available")).ToHaveTextAsync("8");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_integration_log_loads_its_next_page_without_repeating_an_entry()
    {
        var token = "ui" + Guid.NewGuid().ToString("N")[..10];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Kontor.Persistence.KontorDbContext>();
            db.IntegrationLog.AddRange(Enumerable.Range(0, 105).Select(i => new IntegrationLogEntry
            {
                Direction = IntegrationDirection.In, Kind = IntegrationLogKinds.OrderWebhook, Status = IntegrationStatus.Accepted,
                ExternalId = $"{token}-{i}", Payload = "{}", Response = "ok", At = DateTimeOffset.UtcNow,
            }));
            await db.SaveChangesAsync();
        }
        var page = await app.SignedInPageAsync();
        await page.GotoAsync("/settings/integrations");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.Locator("#log-search").FillAsync(token);
        await page.Locator("#log-search").PressAsync("Enter");
        var shopIds = page.GetByTestId("integration-log").GetByTestId("log-external-id");
        await Expect(shopIds).ToHaveCountAsync(100);

        await page.GetByTestId("log-more").ClickAsync();

        await Expect(shopIds).ToHaveCountAsync(105);
        Assert.Equal(105, (await shopIds.AllInnerTextsAsync()).Distinct().Count());
        await Expect(page.GetByTestId("log-more")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    /// <summary>The product's row on the Warehouse page (stock levels), reached through the navigation as a user would.</summary>
    private static async Task<ILocator> StockRowAsync(IPage page, string sku)
    {
        await page.GetByTestId("nav-warehouse").ClickAsync();
        await page.WaitForURLAsync("**/warehouse");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var row = page.Locator($"[data-testid=stock-row][data-sku='{sku}']");
        await Expect(row).ToHaveCountAsync(1);
        return row;
    }
}
