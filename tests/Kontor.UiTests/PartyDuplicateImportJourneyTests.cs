using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>Duplicates on New customer and the CSV import of customers (docs/crm.md, "Duplicates, merge and import").</summary>
[Collection(KontorAppCollection.Name)]
public sealed class PartyDuplicateImportJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task A_customer_with_an_existing_nip_shows_the_warning_and_opens_the_existing_one()
    {
        var nip = UniqueNip();
        var existing = await app.CreateCompanyAsync("Ogrodnik " + Guid.NewGuid().ToString("N")[..6] + " Sp. z o.o.", nip, "ul. Kwiatowa 3", "30-001", "Kraków");
        var page = await app.SignedInPageAsync();
        await page.GotoAsync("/customers/new");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.FillAsync("#party-name", "Ogrodnik bis");
        await page.FillAsync("#party-taxid", nip[..3] + "-" + nip[3..6] + "-" + nip[6..8] + "-" + nip[8..]);
        await page.FillAsync("#party-city", "Kraków");
        await page.GetByTestId("save-customer").ClickAsync();

        var warning = page.GetByTestId("duplicate-warning");
        await Expect(warning).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        await Expect(warning).ToContainTextAsync("A customer with this tax ID already exists.");
        await Expect(warning.GetByTestId("duplicate-candidate")).ToContainTextAsync(existing.Name);
        await Expect(page.GetByTestId("create-anyway")).ToBeVisibleAsync();
        Assert.EndsWith("/customers/new", page.Url);
        await KontorAppFixture.ScreenshotAsync(page, "customer-duplicate-warning.png");

        await warning.GetByTestId("open-existing").ClickAsync();
        await page.WaitForURLAsync($"**/customers/{existing.Id}");
        await Expect(page.GetByTestId("customer-name")).ToHaveTextAsync(existing.Name);
    }

    [Fact]
    public async Task Importing_a_small_csv_with_one_bad_row_previews_the_error_and_imports_the_rest()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var csv = "Name;TaxIdKind;TaxId;City;Email\r\n"
                  + $"Import Alfa {tag};Nip;{UniqueNip()};Poznań;alfa{tag}@example.pl\r\n"
                  + $"Import Beta {tag};Nip;1234567890;Poznań;\r\n"
                  + $"Import Gamma {tag};;;Gniezno;gamma{tag}@example.pl\r\n";
        var page = await app.SignedInPageAsync();
        await page.GotoAsync("/customers");
        await page.GetByTestId("import-customers").ClickAsync();
        await page.WaitForURLAsync("**/customers/import");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        for (var attempt = 0; ; attempt++)
        {
            await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "klienci.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
            try
            {
                await Expect(page.GetByTestId("import-preview")).ToBeEnabledAsync(new LocatorAssertionsToBeEnabledOptions { Timeout = 3_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 5) { }
        }
        await page.GetByTestId("import-preview").ClickAsync();
        // The preview and the search run on the server; on a loaded machine they take a moment.
        var slow = new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 };
        await Expect(page.GetByTestId("import-errors")).ToHaveTextAsync("1", slow);
        await Expect(page.GetByTestId("import-valid")).ToHaveTextAsync("2");
        var problem = page.GetByTestId("import-problem-row");
        await Expect(problem).ToHaveCountAsync(1);
        await Expect(problem).ToContainTextAsync("3");
        await Expect(problem).ToContainTextAsync("taxId");
        await KontorAppFixture.ScreenshotAsync(page, "customer-import-preview.png");

        await page.GetByTestId("import-run").ClickAsync();
        await Expect(page.GetByTestId("import-imported")).ToHaveTextAsync("2", slow);
        await Expect(page.GetByTestId("import-error-report")).ToBeVisibleAsync();

        await page.GotoAsync("/customers");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.FillAsync("#customer-search", tag);
        await Expect(page.GetByTestId("customer-row")).ToHaveCountAsync(2, new LocatorAssertionsToHaveCountOptions { Timeout = 20_000 });
        await Expect(page.GetByTestId("customer-table")).ToContainTextAsync($"Import Alfa {tag}", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
        await Expect(page.GetByTestId("customer-table")).Not.ToContainTextAsync($"Import Beta {tag}");
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
