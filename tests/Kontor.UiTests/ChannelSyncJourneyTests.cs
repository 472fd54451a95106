using Kontor.Catalog;
using Kontor.Commerce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class ChannelSyncJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task A_product_is_mapped_by_SKU_its_shop_id_edited_and_push_now_puts_stock_and_price_in_the_outbox()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var sku = "UI-SYNC-" + suffix;
        var channelName = "Sync UI " + suffix;
        Guid channelId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProductService>().CreateAsync(new CreateProduct(sku, "Kubek sync", ProductKind.Goods, "szt.", 45.00m, "PLN", "23"));
            // A shop address is what makes Kontor send to a channel (SalesChannel.SendsToShop); nothing listens there, the
            // journey is about what is queued, not about the shop's answer.
            channelId = (await scope.ServiceProvider.GetRequiredService<SalesChannelService>().CreateAsync(new SaveSalesChannel(channelName, ChannelType.WooCommerce,
                null, "http://127.0.0.1:9", "ck_ui", "cs_ui", InvoiceMoment.Never, null, null, true, Kontor.Sales.PricingMode.Gross, null))).Id;
        }

        var page = await app.SignedInPageAsync();
        await page.GotoAsync("/settings/integrations");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.Locator("#mapping-channel").SelectOptionAsync(channelId.ToString());
        await Expect(page.GetByTestId("mapping-empty")).ToBeVisibleAsync();

        await page.Locator("#mapping-sku").FillAsync(sku.ToLowerInvariant());
        await page.Locator("#mapping-new-external").FillAsync("794");
        await page.GetByTestId("mapping-add").ClickAsync();
        var row = page.GetByTestId($"mapping-{sku}");
        await Expect(row.Locator(".mapping-external")).ToHaveValueAsync("794");

        await row.Locator(".mapping-external").FillAsync("9001");
        await row.GetByTestId("mapping-save").ClickAsync();
        // The notice of the first save is still shown: wait for the stored mapping itself (Blazor saves over the circuit).
        string? stored = null;
        for (var i = 0; i < 100 && stored != "9001"; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            stored = Assert.Single(await scope.ServiceProvider.GetRequiredService<ChannelProductService>().ListAsync(channelId)).ExternalProductId;
            if (stored != "9001") await Task.Delay(100);
        }
        Assert.Equal("9001", stored);

        await page.GetByTestId("push-now").ClickAsync();
        var outbox = page.GetByTestId("outbox");
        await Expect(outbox.Locator("tr", new() { HasText = channelName }).Filter(new() { HasText = "stock" }).First).ToBeVisibleAsync();
        await Expect(outbox.Locator("tr", new() { HasText = channelName }).Filter(new() { HasText = "price" }).First).ToBeVisibleAsync();
        await KontorAppFixture.ScreenshotAsync(page, "integrations-products.png");
    }
}
