using Kontor.Company;
using Kontor.Ledger;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

/// <summary>Books → Reports: a statement renders from the books, and its CSV and XLSX download. Its own app and database: the totals depend on everything posted.</summary>
public sealed class ReportJourneyTests(KontorAppFixture app) : IClassFixture<KontorAppFixture>
{
    [Fact]
    public async Task Profit_and_loss_and_balance_sheet_render_and_export()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var today = scope.ServiceProvider.GetRequiredService<BusinessCalendar>().Today();
            await scope.ServiceProvider.GetRequiredService<GeneralJournal>().PostManualAsync(new PostManualEntry(today, "Odsetki od lokaty", "PLN",
                [new ManualLineInput("130", null, 123.45m, null), new ManualLineInput("760", null, null, 123.45m)]));
        }
        var page = await app.SignedInPageAsync();
        await page.GotoAsync("/books/reports");
        await KontorAppFixture.WaitForInteractiveAsync(page);

        // Default: profit and loss of this year — D (other operating revenue) and the result L are 123.45.
        await Expect(page.Locator("[data-testid=report-row][data-key=L]")).ToContainTextAsync("123");
        await Expect(page.Locator("[data-testid=report-row][data-key=D]").First).ToContainTextAsync("123");

        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("report-export-csv").ClickAsync());
        var csvBytes = await File.ReadAllBytesAsync(await csv.PathAsync());
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csvBytes[..3]);
        Assert.Contains("L;L. Zysk (strata) netto (I − J);;123,45", System.Text.Encoding.UTF8.GetString(csvBytes));

        await page.GetByTestId("report-kind").SelectOptionAsync("balance-sheet");
        await Expect(page.GetByTestId("report-note")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("badge-ok"));
        await Expect(page.Locator("[data-testid=report-row][data-key=AKTYWA]")).ToContainTextAsync("123");
        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("report-export-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", xlsx.SuggestedFilename);
        var xlsxBytes = await File.ReadAllBytesAsync(await xlsx.PathAsync());
        Assert.Equal("PK"u8.ToArray(), xlsxBytes[..2]);
        await page.Context.CloseAsync();
    }
}
