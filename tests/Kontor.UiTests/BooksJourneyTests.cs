using Kontor.Ledger;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>
/// The accountant's month end: close a month, see it refuse nothing more than it should, reopen it with a reason,
/// reverse a manual entry. Its own app and database, because closing months depends on everything posted.
/// </summary>
public sealed class BooksJourneyTests(KontorAppFixture app) : IClassFixture<KontorAppFixture>
{
    [Fact]
    public async Task Close_and_reopen_a_month_and_reverse_a_manual_entry()
    {
        JournalEntry entry;
        await using (var scope = app.Services.CreateAsyncScope())
            entry = await scope.ServiceProvider.GetRequiredService<GeneralJournal>().PostManualAsync(new PostManualEntry(new DateOnly(2024, 1, 15), "Opłata bankowa", "PLN",
                [new ManualLineInput("402", null, 12.50m, null), new ManualLineInput("130", null, null, 12.50m)]));
        var page = await app.SignedInPageAsync();

        await page.GotoAsync("/books/periods");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.Locator("#periods-year").FillAsync("2024");
        await page.Locator("#periods-year").DispatchEventAsync("change");
        await Expect(page.GetByTestId("period-2024-01")).ToHaveAttributeAsync("data-status", "Open");
        // February before January: refused with the reason.
        await page.GetByTestId("close-2024-02").ClickAsync();
        await Expect(page.GetByTestId("periods-error")).ToContainTextAsync("2024-01");
        await page.GetByTestId("close-2024-01").ClickAsync();
        await Expect(page.GetByTestId("period-2024-01")).ToHaveAttributeAsync("data-status", "Closed");
        await Expect(page.GetByTestId("periods-done")).ToBeVisibleAsync();

        // The storno of the January entry is dated today, in an open month: allowed although January is closed.
        await page.GotoAsync($"/books/journal?documentId={entry.SourceId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("reverse-entry").ClickAsync();
        await Expect(page.GetByTestId("journal-error")).ToContainTextAsync("reason");
        await page.GetByTestId("reverse-reason").FillAsync("Opłata zwrócona przez bank");
        await page.GetByTestId("reverse-entry").ClickAsync();
        await Expect(page.GetByTestId("journal-error")).ToBeHiddenAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var reversals = await scope.ServiceProvider.GetRequiredService<LedgerQueries>().EntriesAsync(entry.Id, null, null);
            Assert.Contains("Opłata zwrócona przez bank", Assert.Single(reversals).Description);
        }

        // Reopen (the fixture's user is an Admin) with a reason.
        await page.GotoAsync("/books/periods");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.Locator("#periods-year").FillAsync("2024");
        await page.Locator("#periods-year").DispatchEventAsync("change");
        await page.GetByTestId("reopen-reason-2024-01").FillAsync("Faktura kosztowa dotarła po zamknięciu");
        await page.GetByTestId("reopen-2024-01").ClickAsync();
        await Expect(page.GetByTestId("period-2024-01")).ToHaveAttributeAsync("data-status", "Open");
        await page.Context.CloseAsync();
    }
}
