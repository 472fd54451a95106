using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>Books → Bank statements: a refused file shows why, an accepted one shows its summary and its lines.</summary>
[Collection(KontorAppCollection.Name)]
public sealed class BankStatementJourneyTests(KontorAppFixture app)
{
    /// <summary>The synthetic Polish fixtures of the integration tests (tests/Kontor.Tests/TestData/bank).</summary>
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "bank", name);

    /// <summary>
    /// InputFile wires its change handler when the component becomes interactive; after an enhanced navigation the
    /// shell is already interactive, so a file chosen too early can go unnoticed: choose again until the page has it.
    /// </summary>
    private static async Task ChooseFileAsync(IPage page, string name)
    {
        var importButton = page.GetByTestId("import-statement");
        for (var attempt = 0; ; attempt++)
        {
            await page.Locator("#statement-file").SetInputFilesAsync(Fixture(name));
            try
            {
                await Expect(importButton).ToBeEnabledAsync(new LocatorAssertionsToBeEnabledOptions { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 5) { }
        }
    }

    [Fact]
    public async Task Accountant_imports_a_statement_sees_why_another_is_refused_and_reads_the_lines()
    {
        var page = await app.SignedInPageAsync();
        await page.GetByTestId("nav-books").ClickAsync();
        await page.WaitForURLAsync("**/books");
        await page.GetByTestId("tab-bank").ClickAsync();
        await page.WaitForURLAsync("**/books/bank");
        await KontorAppFixture.WaitForInteractiveAsync(page);

        // A statement whose balances do not add up: nothing is imported and the page says why.
        await ChooseFileAsync(page, "pko-bp-unbalanced-cp1250.sta");
        await page.GetByTestId("import-statement").ClickAsync();
        await Expect(page.GetByTestId("statement-import-error")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("statement-import-problems")).ToContainTextAsync("does not add up");

        // The Santander-style file is of the account every database starts with (PL61 1090 1014 …).
        await ChooseFileAsync(page, "santander-zbp-question-cp1250.sta");
        await page.GetByTestId("import-statement").ClickAsync();
        var result = page.GetByTestId("statement-import-result");
        await Expect(result).ToContainTextAsync("Imported 1 statement(s) with 1 line(s) from santander-zbp-question-cp1250.sta.");
        await Expect(page.GetByTestId("statement-row").Filter(new LocatorFilterOptions { HasText = "SAN260306" })).ToContainTextAsync("150.00");
        await KontorAppFixture.ScreenshotAsync(page, "bank-statements.png");

        await result.GetByRole(AriaRole.Link).First.ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/books/bank/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("statement-opening")).ToContainTextAsync("-100.00");
        var line = page.GetByTestId("statement-line").First;
        await Expect(line).ToContainTextAsync("Łódzka Spółdzielnia Śrubek");
        await Expect(line).ToContainTextAsync("FV/2026/03/0002 FV/2026/03/0003");
        await Expect(line.GetByTestId("statement-line-amount")).ToContainTextAsync("+250.00");
        await Expect(line).ToContainTextAsync("Unmatched");
        await KontorAppFixture.ScreenshotAsync(page, "bank-statement.png");
    }
}
