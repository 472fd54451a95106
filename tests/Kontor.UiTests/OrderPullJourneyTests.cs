using System.Globalization;
using System.Text.Json.Nodes;
using Kontor.Catalog;
using Kontor.Commerce;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>Settings → Integrations → "Fetch missed orders" (docs/commerce.md "Catch-up pull") against a stub WooCommerce.</summary>
[Collection(KontorAppCollection.Name)]
public sealed class OrderPullJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Fetch_missed_orders_shows_the_summary_and_the_watermark_and_a_failing_shop_shows_its_answer()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var sku = "UI-PULL-" + suffix;
        var order = new JsonObject
        {
            ["id"] = Random.Shared.Next(100_000, 999_999), ["number"] = "P" + suffix, ["status"] = "pending", ["currency"] = "PLN",
            ["billing"] = new JsonObject { ["first_name"] = "Olga", ["last_name"] = "Pominięta " + suffix, ["email"] = $"pull{suffix.ToLowerInvariant()}@example.com", ["country"] = "PL" },
            ["line_items"] = new JsonArray(new JsonObject { ["sku"] = sku, ["name"] = "Kubek UI", ["quantity"] = 1, ["total"] = "45.00", ["total_tax"] = "10.35" }),
        };
        // A stub shop: /ok lists the order the webhook never brought, /down answers 500.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var shop = builder.Build();
        shop.MapGet("/ok/wp-json/wc/v3/orders", (HttpContext http) =>
        {
            http.Response.Headers["X-WP-TotalPages"] = "1";
            return Results.Content(new JsonArray(order.DeepClone()).ToJsonString(), "application/json");
        });
        shop.MapGet("/down/wp-json/wc/v3/orders", () => Results.Json(new { code = "internal_server_error", message = "Shop database is down." }, statusCode: 500));
        await shop.StartAsync();
        var address = shop.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        Guid okChannel, downChannel;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProductService>().CreateAsync(new CreateProduct(sku, "Kubek UI", ProductKind.Goods, "szt.", 45.00m, "PLN", "23"));
            var channels = scope.ServiceProvider.GetRequiredService<SalesChannelService>();
            okChannel = (await channels.CreateAsync(new SaveSalesChannel("Pull UI " + suffix, ChannelType.WooCommerce, null, address + "/ok", "ck_ui", "cs_ui",
                InvoiceMoment.Never, null, null, true, Kontor.Sales.PricingMode.Net, null))).Id;
            downChannel = (await channels.CreateAsync(new SaveSalesChannel("Down UI " + suffix, ChannelType.WooCommerce, null, address + "/down", "ck_ui", "cs_ui",
                InvoiceMoment.Never, null, null, true, Kontor.Sales.PricingMode.Net, null))).Id;
        }

        // Changed in the shop after the channel was set up (the first pull reads from the channel's creation; whole seconds,
        // as WooCommerce gives them, so one second later).
        await Task.Delay(1100);
        var modified = DateTimeOffset.UtcNow;
        order["date_modified_gmt"] = modified.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

        var page = await app.SignedInPageAsync();
        await page.GotoAsync("/settings/integrations");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var row = page.GetByTestId($"channel-{okChannel}");
        await Expect(row.GetByTestId("pulled-until")).ToHaveTextAsync("—");

        await row.GetByTestId("pull-orders").ClickAsync();

        await Expect(row.GetByTestId("pull-result")).ToHaveTextAsync("Fetched 1: created 1, updated 0, unchanged 0, held 0, rejected 0.");
        // Shown on the company's clock (Europe/Warsaw) like every time in Kontor; the shop's own UTC on hover.
        var warsaw = TimeZoneInfo.ConvertTime(modified, TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"));
        await Expect(row.GetByTestId("pulled-until")).ToHaveTextAsync(warsaw.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        await Expect(row.GetByTestId("pulled-until").Locator("time")).ToHaveAttributeAsync("title",
            modified.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC");
        await Expect(page.GetByTestId("integration-log")).ToContainTextAsync("order-pull");

        var down = page.GetByTestId($"channel-{downChannel}");
        await down.GetByTestId("pull-orders").ClickAsync();
        await Expect(down.GetByTestId("pull-result")).ToContainTextAsync("The shop did not give the orders: The shop answered 500");
        await Expect(down.GetByTestId("pull-result")).ToContainTextAsync("Shop database is down.");
        await Expect(down.GetByTestId("pulled-until")).ToHaveTextAsync("—");
        await KontorAppFixture.ScreenshotAsync(page, "integrations-pull.png");
    }
}
