using System.Text.RegularExpressions;
using Kontor.Catalog;
using Kontor.Catalog.Pricing;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kontor.UiTests;

[Collection(KontorAppCollection.Name)]
public sealed class PricingJourneyTests(KontorAppFixture app)
{
    [Fact]
    public async Task Picking_a_product_for_a_customer_fills_the_customer_price_with_its_source_and_a_typed_price_is_marked_manual()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var partyName = "Hurtownia Cenowa " + suffix;
        Guid partyId;
        string sku;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var party = await services.GetRequiredService<PartyService>().CreateAsync(new CreateParty(PartyKind.Company, partyName, TaxIdKind.None, null,
                new AddressInput("ul. Cenowa 1", "00-950", "Warszawa", "PL"), null, null, 14, null, "PLN", null, null));
            var product = await services.GetRequiredService<ProductService>().CreateAsync(new CreateProduct("PRC-" + suffix, "Wiertarka " + suffix, ProductKind.Goods, "szt.", 100m, "PLN", "23"));
            var prices = services.GetRequiredService<PriceListService>();
            await prices.CreatePriceAsync(new SavePrice(null, party.Id, product.Id, 80m, "PLN", null, null));
            await prices.CreateDiscountRuleAsync(new SaveDiscountRule("Wiertarki od 10 " + suffix, null, null, null, product.Id, 10m, 5m, null, null));
            (partyId, sku) = (party.Id, product.Sku);
        }
        var page = await app.SignedInPageAsync();

        await page.GetByTestId("nav-invoices").ClickAsync();
        await page.WaitForURLAsync("**/invoices");
        await page.GetByTestId("new-invoice").ClickAsync();
        await page.WaitForURLAsync("**/invoices/new");
        await page.Locator("#invoice-party").SelectOptionAsync(new SelectOptionValue { Label = partyName });
        await page.Locator("#line-product-0").SelectOptionAsync(new SelectOptionValue { Label = $"{sku} · Wiertarka {suffix}" });

        // The customer's own price (80, not the list price 100) and where it comes from.
        await Expect(page.Locator("#line-price-0")).ToHaveValueAsync("80");
        await Expect(page.GetByTestId("line-price-source-0")).ToHaveTextAsync("customer price");
        await Expect(page.GetByTestId("line-discount-source-0")).ToHaveCountAsync(0);

        // Ten pieces reach the quantity tier: 5 % with its badge. By hand: 10 × 80 × 0.95 = 760.00 net, 934.80 gross.
        await page.FillAsync("#line-quantity-0", "10");
        await Expect(page.Locator("#line-discount-0")).ToHaveValueAsync("5");
        await Expect(page.GetByTestId("line-discount-source-0")).ToHaveTextAsync("quantity discount −5 %");
        await Expect(page.GetByTestId("line-gross-0")).ToHaveTextAsync("934.80");

        // Another price typed by hand is marked manual at once.
        await page.FillAsync("#line-price-0", "75");
        await Expect(page.GetByTestId("line-price-source-0")).ToHaveTextAsync("manual price");
        await Expect(page.GetByTestId("line-gross-0")).ToHaveTextAsync("876.38"); // 10 × 75 × 0.95 = 712.50; VAT 163.875 → 163.88
        await KontorAppFixture.ScreenshotAsync(page, "pricing-line-badges.png");
        await page.GetByTestId("save-draft").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/invoices/[0-9a-f-]{36}$"));
        var invoiceId = Guid.Parse(page.Url[^36..]);

        // Saved as the badges said, and the override is in the audit trail.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            var line = await db.InvoiceLines.AsNoTracking().SingleAsync(l => l.InvoiceId == invoiceId);
            Assert.Equal((75m, PriceSource.Manual, 80m, 5m, DiscountSource.QuantityRule), (line.UnitPrice, line.PriceSource, line.AutomaticUnitPrice, line.DiscountPercent, line.DiscountSource));
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == LineSources.OverrideAction && a.EntityId == invoiceId.ToString()));
        }

        // The customer's price changes; opening the draft again shows the recorded sources, and saving it unchanged
        // keeps what was agreed (no second override, the automatic value of the time stays 80).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var prices = scope.ServiceProvider.GetRequiredService<PriceListService>();
            var entry = Assert.Single(await prices.PricesAsync(null, partyId));
            await prices.UpdatePriceAsync(entry.Entry.Id, new SavePrice(null, null, null, 82m, "PLN", null, null));
        }
        await page.GotoAsync($"/invoices/{invoiceId}/edit");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("line-price-source-0")).ToHaveTextAsync("manual price");
        await Expect(page.GetByTestId("line-discount-source-0")).ToHaveTextAsync("quantity discount −5 %");
        await page.GetByTestId("save-draft").ClickAsync();
        await page.WaitForURLAsync($"**/invoices/{invoiceId}");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            var line = await db.InvoiceLines.AsNoTracking().SingleAsync(l => l.InvoiceId == invoiceId);
            Assert.Equal((75m, PriceSource.Manual, 80m), (line.UnitPrice, line.PriceSource, line.AutomaticUnitPrice));
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == LineSources.OverrideAction && a.EntityId == invoiceId.ToString()));
        }

        // The customer card leads to the customer's prices on the catalogue's Pricing tab.
        await page.GotoAsync($"/customers/{partyId}");
        await KontorAppFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("customer-prices").ClickAsync();
        await page.WaitForURLAsync($"**/products/pricing?party={partyId}");
        await Expect(page.GetByTestId("price-row")).ToContainTextAsync($"{sku} · Wiertarka {suffix}");
        await Expect(page.GetByTestId("price-row")).ToContainTextAsync("82 PLN");
        await Expect(page.GetByTestId("discount-rules")).ToContainTextAsync("Wiertarki od 10 " + suffix);
        await KontorAppFixture.ScreenshotAsync(page, "pricing-page.png");
        await page.Context.CloseAsync();
    }
}
