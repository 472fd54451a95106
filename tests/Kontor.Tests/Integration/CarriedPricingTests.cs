using Kontor.Catalog.Pricing;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>
/// An invoice drafted from an order copies the order's lines with their prices and pricing sources and reads no pricing
/// data (docs/performance.md, W1 optimisation 3): the order was priced once, the invoice is not priced again.
/// </summary>
public abstract class CarriedPricingTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task Invoicing_an_order_keeps_its_prices_and_sources_and_reads_no_pricing_tables()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 11));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync("Ceny Przeniesione Sp. z o.o.")).Id();
        var product = (await sales.CreateProductAsync("500.00", "23")).Id();
        var order = await sales.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[]
            {
                new { productId = product, quantity = 2 },                       // list price 500.00, no discount
                new { productId = product, quantity = 1, unitPrice = "450.00" }, // a person's price: Manual, automatic 500.00
            },
        });

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        using var counter = new ContextCounter(db);
        var invoice = await scope.ServiceProvider.GetRequiredService<OrderService>().InvoiceAsync([order.Id()]);

        var lines = invoice.Lines.OrderBy(l => l.Position).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal((2m, 500.00m, 0m, PriceSource.ListPrice, (decimal?)null, 1000.00m), (lines[0].Quantity, lines[0].UnitPrice, lines[0].DiscountPercent, lines[0].PriceSource, lines[0].AutomaticUnitPrice, lines[0].Net));
        Assert.Equal((1m, 450.00m, 0m, PriceSource.Manual, (decimal?)500.00m, 450.00m), (lines[1].Quantity, lines[1].UnitPrice, lines[1].DiscountPercent, lines[1].PriceSource, lines[1].AutomaticUnitPrice, lines[1].Net));
        Assert.All(lines, l => Assert.True(l.PricingCarriedOver));
        Assert.Equal(1450.00m, invoice.TotalNet);
        Assert.Equal(1783.50m, invoice.TotalGross); // 1450.00 + 23 % (333.50)
        var pricingReads = counter.CommandTexts.Where(t => t.Contains("\"PriceListEntries\"") || t.Contains("\"DiscountRules\"") || t.Contains("\"PriceGroups\"")).ToList();
        Assert.True(pricingReads.Count == 0, "pricing read again: " + string.Join(" | ", pricingReads));
    }
}

public sealed class SqliteCarriedPricingTests(SqliteApp app) : CarriedPricingTests<SqliteApp>(app);

public sealed class PostgresCarriedPricingTests(PostgresApp app) : CarriedPricingTests<PostgresApp>(app);
