using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class CreditControlJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Sales_user_sees_the_credit_block_when_invoicing_a_customer_over_its_limit()
    {
        var partyName = "Dłużnik Limitowy " + Guid.NewGuid().ToString("N")[..6];
        var nip = UniqueNip();
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Kontor.Crm.PartyService>().CreateAsync(new Kontor.Crm.CreateParty(
                Kontor.Crm.PartyKind.Company, partyName, Kontor.Common.TaxIdKind.Nip, nip, new Kontor.Crm.AddressInput("ul. Kredytowa 1", "00-001", "Warszawa", "PL"),
                null, null, 14, 500.00m, "PLN", null, null));
        var page = await app.SignedInSalesPageAsync();

        await page.GotoAsync("/invoices/new");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.Locator("#invoice-party").SelectOptionAsync(new Microsoft.Playwright.SelectOptionValue { Label = partyName + " · " + nip });
        await page.FillAsync("#line-description-0", "Serwis roczny");
        await page.FillAsync("#line-quantity-0", "1");
        await page.FillAsync("#line-price-0", "1000.00");
        await page.SelectOptionAsync("#line-vat-0", "23");
        await page.GetByTestId("save-draft").ClickAsync();

        // 1000.00 + 23 % = 1230.00 against a limit of 500.00 with nothing owed: exceeded by 730.00.
        var block = page.GetByTestId("credit-block");
        await Expect(block).ToBeVisibleAsync();
        await Expect(block).ToContainTextAsync("Credit control blocks new documents for this customer.");
        await Expect(page.GetByTestId("credit-block-limit")).ToHaveTextAsync("Credit limit 500.00 PLN; balance 0.00; this document 1,230.00 PLN; exceeded by 730.00 PLN.");
        await Expect(page.GetByTestId("credit-block-ask")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("credit-override")).ToHaveCountAsync(0);
        Assert.EndsWith("/invoices/new", page.Url);
        await KontorAppFixture.ScreenshotAsync(page, "credit-block-sales.png");
    }

    private static string UniqueNip()
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        while (true)
        {
            var body = "77" + Random.Shared.Next(10_000_000).ToString("D7");
            var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
            if (sum % 11 != 10) return body + (sum % 11);
        }
    }
}
