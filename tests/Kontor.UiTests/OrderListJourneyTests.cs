using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kontor.Catalog;
using Kontor.Commerce;
using Kontor.Orders;
using Kontor.Sales;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>
/// Support finds an order the way a caller names it (docs/commerce.md, "The order list"): the shop's order id, the
/// customer's name typed in lower case; the status and channel filters narrow the list; the view lives in the address.
/// </summary>
[Collection(KontorAppCollection.Name)]
public sealed class OrderListJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Support_finds_a_shop_order_by_its_shop_id_a_manual_one_by_customer_name_and_narrows_by_status_and_channel()
    {
        const string secret = "ui-order-list-secret-2026";
        // A letter first: an all-digit suffix could match some tax id or shop order id, and the test counts rows.
        var suffix = "q" + Guid.NewGuid().ToString("N")[..6];
        var customer = await app.CreateCompanyAsync("Ewa Kowalska " + suffix, UniqueNip(), "ul. Szukana 7", "00-950", "Warszawa");
        var sku = "UI-LISTA-" + suffix.ToUpperInvariant();
        var channelName = "Sklep Lista " + suffix;
        Order manual;
        Guid channelId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProductService>().CreateAsync(new CreateProduct(sku, "Świeca " + suffix, ProductKind.Service, "szt.", 30.00m, "PLN", "23"));
            channelId = (await scope.ServiceProvider.GetRequiredService<SalesChannelService>().CreateAsync(new SaveSalesChannel(channelName, ChannelType.WooCommerce,
                secret, null, null, null, InvoiceMoment.Never, null, null, true, PricingMode.Net, null))).Id;
            var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
            manual = await orders.CreateAsync(new CreateOrder(customer.Id, "PLN", PricingMode.Net, null, [new InvoiceLineInput(null, "Konsultacje " + suffix, 1m, 200m, null, "23", "h")]));
            await orders.ChangeStatusAsync(manual.Id, OrderStatus.InProgress);
        }
        var externalId = Random.Shared.Next(100_000, 999_999).ToString();
        var body = new JsonObject
        {
            ["id"] = long.Parse(externalId), ["number"] = externalId, ["status"] = "processing", ["currency"] = "PLN",
            ["date_modified_gmt"] = "2026-03-20T10:02:14",
            ["billing"] = new JsonObject { ["first_name"] = "Łukasz", ["last_name"] = "Żółć " + suffix, ["email"] = $"lukasz{suffix}@example.com", ["city"] = "Łódź", ["postcode"] = "90-001", ["country"] = "PL" },
            ["line_items"] = new JsonArray(new JsonObject { ["sku"] = sku, ["name"] = "Świeca", ["quantity"] = 1, ["total"] = "30.00", ["total_tax"] = "6.90" }),
        }.ToJsonString();
        using var response = await app.SendWooCommerceWebhookAsync(channelId, secret, body);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        var shopNumber = (string)answer["orderNumber"]!;

        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/orders");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var rows = page.GetByTestId("order-row");

        // The caller quotes the shop's number: typed with its '#', Enter.
        await page.Locator("#order-search").FillAsync("#" + externalId);
        await page.Locator("#order-search").PressAsync("Enter");
        await page.WaitForURLAsync(new Regex(@"/orders\?q=%23" + externalId + "$"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(shopNumber);
        await Expect(rows.First).ToContainTextAsync("Łukasz Żółć " + suffix);
        await Expect(rows.First.GetByTestId("order-shop")).ToHaveTextAsync(new Regex($@"{channelName}\s*#{externalId}"));

        // A reload (or the link sent to a colleague) shows the same view.
        await page.ReloadAsync();
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.Locator("#order-search")).ToHaveValueAsync("#" + externalId);
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(shopNumber);

        // The other caller gives her name; the customer is found in lower case, Polish letters or not.
        await page.Locator("#order-search").FillAsync("ewa kowalska " + suffix);
        await page.Locator("#order-search").PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("q=ewa"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(manual.Number);
        await Expect(rows.First.GetByTestId("order-shop")).ToHaveTextAsync("—");
        await page.Locator("#order-search").FillAsync("żółć " + suffix);
        await page.Locator("#order-search").PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("q=%C5%BC", RegexOptions.IgnoreCase));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(shopNumber);

        // Both orders share the suffix; the status and channel filters tell them apart.
        await page.Locator("#order-search").FillAsync(suffix);
        await page.Locator("#order-search").PressAsync("Enter");
        await page.WaitForURLAsync(new Regex($"q={suffix}$"));
        await Expect(rows).ToHaveCountAsync(2);
        await page.GetByTestId("filter-status").SelectOptionAsync("InProgress");
        await page.WaitForURLAsync(new Regex("status=InProgress"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(manual.Number);
        await page.GetByTestId("filter-status").SelectOptionAsync("");
        await Expect(rows).ToHaveCountAsync(2);
        await page.GetByTestId("filter-channel").SelectOptionAsync(channelId.ToString());
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(shopNumber);
        await page.GetByTestId("filter-channel").SelectOptionAsync("manual");
        await page.WaitForURLAsync(new Regex("channel=manual"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(manual.Number);
        await page.GetByTestId("filter-channel").SelectOptionAsync("");
        await Expect(rows).ToHaveCountAsync(2);
        await KontorAppFixture.ScreenshotAsync(page, "order-list-filtered.png");

        // Invoicing the ticked orders still works on a filtered list.
        await rows.Filter(new() { HasText = manual.Number }).GetByTestId("order-select").CheckAsync();
        await page.GetByTestId("invoice-selected-orders").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
    }

    private static string UniqueNip()
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        while (true)
        {
            var body = "79" + Random.Shared.Next(10_000_000).ToString("D7");
            var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
            if (sum % 11 != 10) return body + (sum % 11);
        }
    }
}
