using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class SegmentationJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Tag_a_customer_filter_the_list_by_the_tag_save_the_filter_and_reapply_it()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var name = "Tagowany Klient " + run;
        var party = await app.CreateCompanyAsync(name, UniqueNip(), "ul. Tagowa 1", "00-001", "Warszawa");
        await app.CreateCompanyAsync("Bez Tagu " + run, UniqueNip(), "ul. Tagowa 2", "00-001", "Warszawa");
        var page = await app.SignedInPageAsync();

        // On the card: typed with capitals and a space, stored normalised.
        await page.GotoAsync($"/customers/{party.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.FillAsync("#party-new-tag", $"Stały {run}");
        await page.GetByTestId("add-tag").ClickAsync();
        await Expect(page.GetByTestId("party-tag")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^stały-{run}"));

        // The list filtered by that tag shows only this customer.
        await page.GotoAsync("/customers");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("filter-tag").SelectOptionAsync($"stały-{run}");
        await Expect(page.GetByTestId("filter-tag-chip")).ToHaveTextAsync($"stały-{run} ×");
        await Expect(page.GetByTestId("customer-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("customer-row")).ToContainTextAsync(name);

        // Saved, cleared, and reapplied from the dropdown.
        await page.FillAsync("#save-filter-name", "Stali " + run);
        await page.GetByTestId("save-filter").ClickAsync();
        await Expect(page.GetByTestId("filter-saved")).ToBeVisibleAsync();
        await page.GetByTestId("filter-clear").ClickAsync();
        await Expect(page.GetByTestId("filter-tag-chip")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("customer-table")).ToContainTextAsync("Bez Tagu " + run);

        await page.GetByTestId("saved-filter-select").SelectOptionAsync(new Microsoft.Playwright.SelectOptionValue { Label = "Stali " + run });
        await Expect(page.GetByTestId("filter-tag-chip")).ToHaveTextAsync($"stały-{run} ×");
        await Expect(page.GetByTestId("customer-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("customer-row")).ToContainTextAsync(name);
        await KontorAppFixture.ScreenshotAsync(page, "customers-saved-filter.png");
    }

    [Fact]
    public async Task Admin_erases_a_persons_data_from_the_card_and_sees_what_was_kept()
    {
        var name = "Osoba Do Usunięcia " + Guid.NewGuid().ToString("N")[..6];
        Kontor.Crm.Party person;
        await using (var scope = app.Services.CreateAsyncScope())
            person = await scope.ServiceProvider.GetRequiredService<Kontor.Crm.PartyService>().CreateAsync(new Kontor.Crm.CreateParty(
                Kontor.Crm.PartyKind.Person, name, Kontor.Common.TaxIdKind.None, null, new Kontor.Crm.AddressInput("ul. Prywatna 1", "00-001", "Warszawa", "PL"),
                "osoba.usuwana@example.pl", "+48 600 000 111", 14, null, null, null, null));
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"/customers/{person.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("personal-data-export")).ToHaveAttributeAsync("href", $"/api/parties/{person.Id}/personal-data?download=true");

        await page.FillAsync("#erase-reason", "Żądanie osoby z dnia 2026-03-20");
        await page.GetByTestId("erase-person").ClickAsync();

        await Expect(page.GetByTestId("erase-kept")).ToHaveTextAsync("kept: nothing (no accounting records)");
        await Expect(page.GetByTestId("customer-name")).ToHaveTextAsync("Erased person #" + person.Id.ToString("N")[..8].ToUpperInvariant());
        await Expect(page.GetByTestId("personal-data-erased")).ToBeVisibleAsync();
        await KontorAppFixture.ScreenshotAsync(page, "customer-personal-data-erased.png");
    }

    [Fact]
    public async Task A_companys_contact_person_is_erased_from_the_card()
    {
        var name = "Firma Z Kontaktem " + Guid.NewGuid().ToString("N")[..6];
        var company = await app.CreateCompanyAsync(name, UniqueNip(), "ul. Firmowa 1", "00-001", "Warszawa");
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Kontor.Crm.PartyService>().AddContactAsync(company.Id,
                new Kontor.Crm.ContactInput("Marta", "Kontaktowa", "księgowa", "marta.k@firma.pl", "+48 600 200 300"));
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"/customers/{company.Id}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("personal-data-export")).ToHaveCountAsync(0);

        await page.FillAsync("#erase-reason", "Odeszła z firmy");
        await page.GetByTestId("contact-erase").ClickAsync();

        await Expect(page.GetByTestId("erase-kept")).ToHaveTextAsync("kept: nothing (a contact person appears in no accounting record)");
        await Expect(page.GetByTestId("customer-contacts")).ToContainTextAsync("Erased person #");
        await Expect(page.GetByTestId("customer-contacts")).Not.ToContainTextAsync("marta.k@firma.pl");
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
