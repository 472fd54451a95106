using Kontor.Inventory;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>A refusal from the services reads in the page's language, not the code's English (decision 53).</summary>
[Collection(KontorAppCollection.Name)]
public sealed class LocalisedMessagesJourneyTests(KontorAppFixture app)
{
    [Theory]
    [InlineData("pl", "Suma kontrolna NIP jest nieprawidłowa")]
    [InlineData("ru", "Контрольная сумма NIP неверна")]
    [InlineData("en", "NIP checksum is invalid")]
    public async Task A_wrong_nip_is_refused_next_to_the_field_in_the_readers_language(string culture, string refusal)
    {
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/culture/{culture}?returnUrl=/customers/new");
        await KontorAppFixture.WaitForInteractiveAsync(page);

        await page.FillAsync("#party-name", "Firma z błędnym NIP");
        await page.SelectOptionAsync("#party-taxidkind", "Nip");
        await page.FillAsync("#party-taxid", "5260250275");
        await page.GetByTestId("save-customer").ClickAsync();

        await Expect(page.GetByTestId("error-taxId")).ToHaveTextAsync(refusal);
    }

    [Fact]
    public async Task A_module_refusal_on_a_page_reads_in_polish_with_its_values()
    {
        var code = "L" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<WarehouseService>().CreateAsync(new SaveWarehouse(code, "Magazyn " + code));
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/culture/pl?returnUrl=/warehouse/warehouses");
        await KontorAppFixture.WaitForInteractiveAsync(page);

        await page.GetByTestId("warehouse-code").FillAsync(code);
        await page.GetByTestId("warehouse-name-input").FillAsync("Drugi");
        await page.GetByTestId("warehouse-create").ClickAsync();

        await Expect(page.GetByTestId("error-code")).ToHaveTextAsync($"Magazyn o kodzie {code} już istnieje.");
    }
}
