using System.Text.Json.Nodes;
using Kontor.Catalog;
using Kontor.Commerce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class HeldOrderMappingJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task An_order_held_for_the_shops_own_SKU_is_taken_once_the_SKU_is_mapped_to_a_product_and_the_mapping_is_listed()
    {
        const string secret = "ui-test-held-secret-2026";
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var sku = "UI-LAMPA-" + suffix;
        var shopSku = "lampa-sklep-" + suffix.ToLowerInvariant();
        Guid channelId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProductService>().CreateAsync(new CreateProduct(sku, "Lampa UI " + suffix, ProductKind.Goods, "szt.", 80.00m, "PLN", "23"));
            channelId = (await scope.ServiceProvider.GetRequiredService<SalesChannelService>().CreateAsync(new SaveSalesChannel("Sklep mapowania " + suffix, ChannelType.WooCommerce,
                secret, null, null, null, InvoiceMoment.Never, null, null, true, Kontor.Sales.PricingMode.Net, null))).Id;
        }
        var externalId = Random.Shared.Next(100_000, 999_999).ToString();
        var body = new JsonObject
        {
            ["id"] = long.Parse(externalId), ["number"] = externalId, ["status"] = "processing", ["currency"] = "PLN", ["date_modified_gmt"] = "2026-03-20T10:02:14",
            ["billing"] = new JsonObject { ["first_name"] = "Ola", ["last_name"] = "Mapowa " + suffix, ["email"] = $"map{suffix.ToLowerInvariant()}@example.com", ["country"] = "PL" },
            ["line_items"] = new JsonArray(new JsonObject { ["sku"] = shopSku, ["name"] = "Lampka nocna", ["quantity"] = 3, ["total"] = "240.00", ["total_tax"] = "55.20" }),
        }.ToJsonString();
        using var response = await app.SendWooCommerceWebhookAsync(channelId, secret, body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        // And one Kontor refuses: a company with a NIP whose check digit is wrong.
        var refusedId = Random.Shared.Next(100_000, 999_999).ToString();
        var refusedBody = new JsonObject
        {
            ["id"] = long.Parse(refusedId), ["number"] = refusedId, ["status"] = "processing", ["currency"] = "PLN", ["date_modified_gmt"] = "2026-03-20T10:02:14",
            ["billing"] = new JsonObject { ["company"] = "Firma " + suffix, ["vat_number"] = "1234567890", ["email"] = $"nip{suffix.ToLowerInvariant()}@example.com", ["country"] = "PL" },
            ["line_items"] = new JsonArray(new JsonObject { ["sku"] = sku, ["name"] = "Lampa", ["quantity"] = 1, ["total"] = "80.00", ["total_tax"] = "18.40" }),
        }.ToJsonString();
        using var refusedResponse = await app.SendWooCommerceWebhookAsync(channelId, secret, refusedBody);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, refusedResponse.StatusCode);

        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/settings/integrations");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        var held = page.GetByTestId($"held-{externalId}");
        // Why, from the hold's kind and SKUs (kept as SKUs are kept: upper case), in the page's language.
        await Expect(held.GetByTestId("held-reason")).ToHaveTextAsync($"Unknown SKU: {shopSku.ToUpperInvariant()}. Create or map the product, then retry.");
        await page.GotoAsync($"{app.BaseUrl}/culture/pl?returnUrl=/settings/integrations");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(held.GetByTestId("held-reason")).ToHaveTextAsync($"Nieznane SKU: {shopSku.ToUpperInvariant()} — utwórz lub powiąż produkt, a potem ponów.");
        var refused = page.GetByTestId($"held-{refusedId}");
        await Expect(refused.GetByTestId("held-reason")).ToContainTextAsync("Kontor odrzucił zamówienie: ");
        // Nothing to map on a refusal: a person decides.
        await Expect(refused.GetByTestId("held-map-skus")).ToHaveCountAsync(0);
        await page.GotoAsync($"{app.BaseUrl}/culture/en?returnUrl=/settings/integrations");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(refused.GetByTestId("held-reason")).ToContainTextAsync("Kontor refused the order: ");
        await held.GetByTestId("held-map-skus").ClickAsync();

        var mapper = page.GetByTestId("sku-mapper");
        await Expect(mapper.GetByTestId("sku-mapper-sku")).ToHaveTextAsync(shopSku.ToUpperInvariant());
        await Expect(mapper).ToContainTextAsync("Lampka nocna");
        // A SKU no product has is refused on its row; nothing is mapped and the order stays held.
        await mapper.GetByTestId("sku-mapper-product").FillAsync("NIE-MA-" + suffix);
        await mapper.GetByTestId("sku-mapper-submit").ClickAsync();
        await Expect(mapper).ToContainTextAsync($"There is no product with SKU NIE-MA-{suffix}.");
        await Expect(page.GetByTestId("sku-mappings")).Not.ToContainTextAsync(shopSku.ToUpperInvariant());

        await mapper.GetByTestId("sku-mapper-product").FillAsync(sku.ToLowerInvariant());
        await KontorAppFixture.ScreenshotAsync(page, "held-order-mapping.png");
        await mapper.GetByTestId("sku-mapper-submit").ClickAsync();

        await Expect(page.GetByTestId("integrations-notice")).ToContainTextAsync("created");
        await Expect(held).ToContainTextAsync("Resolved");
        await Expect(page.GetByTestId("sku-mapper")).ToHaveCountAsync(0);
        var mapping = page.GetByTestId("sku-mapping-row").Filter(new() { HasText = shopSku.ToUpperInvariant() });
        await Expect(mapping).ToContainTextAsync(sku);

        // The order has the catalogue product at the shop's price: 3 × 80.00 net.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Kontor.Persistence.KontorDbContext>();
            var line = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                db.Orders.Where(o => o.ChannelId == channelId && o.ExternalOrderId == externalId).SelectMany(o => o.Lines).Where(l => l.ProductId != null));
            var productId = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Products.Where(p => p.Sku == sku).Select(p => p.Id));
            Assert.Equal((productId, 3m, 80.00m), (line.ProductId!.Value, line.Quantity, line.UnitPrice));
        }

        // Removing the mapping takes it off the list.
        await page.GetByTestId($"sku-mapping-remove-{shopSku.ToUpperInvariant()}").ClickAsync();
        await Expect(mapping).ToHaveCountAsync(0);
    }
}
