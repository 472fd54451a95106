using Kontor.Commerce;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>
/// Settings → Integrations: a channel is added and then changed through the form (docs/commerce.md "Sales channels"):
/// the secrets are never shown and stay when their fields are left empty; a bad value names its field and changes nothing.
/// </summary>
[Collection(KontorAppCollection.Name)]
public sealed class ChannelSettingsJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task A_channel_is_added_and_changed_in_the_form_and_its_secrets_stay_when_left_empty()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = "Sklep ustawień " + suffix;
        const string secret = "webhook-secret-for-ui-0123456789";
        var page = await app.SignedInPageAsync();
        await page.GotoAsync("/settings/integrations");
        await KontorAppFixture.WaitForInteractiveAsync(page);

        await page.FillAsync("#channel-name", name);
        await page.FillAsync("#channel-secret", secret);
        await page.FillAsync("#channel-base", "https://sklep-" + suffix + ".example.com");
        await page.FillAsync("#channel-apikey", "ck_ui_" + suffix);
        await page.FillAsync("#channel-apisecret", "cs_ui_" + suffix);
        await page.GetByTestId("channel-save").ClickAsync();
        await Expect(page.GetByTestId("integrations-notice")).ToHaveTextAsync($"Channel {name} added.");

        var id = await ChannelIdAsync(name);
        var row = page.GetByTestId($"channel-{id}");
        await Expect(row).ToContainTextAsync("On payment");

        // Change it: invoice on shipment, no matching by phone, the main warehouse, switched off.
        await row.GetByTestId("channel-edit").ClickAsync();
        await Expect(page.GetByTestId("channel-form-title")).ToHaveTextAsync($"Edit channel {name}");
        await Expect(page.Locator("#channel-name")).ToHaveValueAsync(name);
        await Expect(page.Locator("#channel-secret")).ToHaveValueAsync("");
        await Expect(page.Locator("#channel-apisecret")).ToHaveValueAsync("");
        await Expect(page.Locator("#channel-apikey")).ToHaveValueAsync("ck_ui_" + suffix);
        await page.SelectOptionAsync("#channel-invoice", "OnShipment");
        await page.SelectOptionAsync("#channel-warehouse", "MAG");
        await page.UncheckAsync("#channel-match-phone");
        await page.UncheckAsync("#channel-active");
        await page.GetByTestId("channel-save").ClickAsync();
        await Expect(page.GetByTestId("integrations-notice")).ToHaveTextAsync($"Channel {name} saved.");
        await Expect(row).ToContainTextAsync("On shipment");
        await Expect(row.GetByTestId("channel-inactive")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("channel-form-title")).ToHaveTextAsync("New channel");

        var saved = await ChannelAsync(id);
        Assert.Equal((InvoiceMoment.OnShipment, "Email,Nip", "MAG", false), (saved.InvoiceMoment, saved.CustomerMatching, saved.DefaultWarehouseCode, saved.IsActive));
        var secrets = app.Services.GetRequiredService<ChannelSecrets>();
        Assert.Equal((secret, "ck_ui_" + suffix, "cs_ui_" + suffix), (secrets.Reveal(saved.Secret), saved.ApiKey, secrets.Reveal(saved.ApiSecret)));

        // A name left empty is refused on its field, and nothing changes.
        await row.GetByTestId("channel-edit").ClickAsync();
        await Expect(page.Locator("#channel-name")).ToHaveValueAsync(name); // the form is filled before it is typed into
        await page.FillAsync("#channel-name", "");
        await page.SelectOptionAsync("#channel-invoice", "Never");
        await page.GetByTestId("channel-save").ClickAsync();
        await Expect(page.GetByTestId("error-name")).ToBeVisibleAsync();
        Assert.Equal((name, InvoiceMoment.OnShipment), ((await ChannelAsync(id)).Name, (await ChannelAsync(id)).InvoiceMoment));
        await KontorAppFixture.ScreenshotAsync(page, "integrations-edit-channel.png");

        await page.GetByTestId("channel-cancel").ClickAsync();
        await Expect(page.GetByTestId("channel-form-title")).ToHaveTextAsync("New channel");
        await Expect(page.Locator("#channel-name")).ToHaveValueAsync("");
    }

    private async Task<Guid> ChannelIdAsync(string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SalesChannelService>().ListAsync()).Single(c => c.Name == name).Id;
    }

    private async Task<SalesChannel> ChannelAsync(Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SalesChannelService>().GetAsync(id);
    }
}
