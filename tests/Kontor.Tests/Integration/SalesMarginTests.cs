using System.Net;
using Kontor.Sales;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>Revenue − cost of goods from product unit costs (Sales/SalesMargins), against figures worked out by hand.</summary>
public abstract class SalesMarginTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private async Task<MarginFigures> MarginOfAsync(Guid partyId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SalesMargins>().ForPartyAsync(partyId);
    }

    private static Task<System.Text.Json.Nodes.JsonNode> CostedProductAsync(HttpClient client, string netPrice, string? unitCost) =>
        client.PostCreatedAsync("/api/products", new
        {
            sku = "M-" + Guid.NewGuid().ToString("N")[..10],
            name = "Towar",
            kind = "Goods",
            netPrice = new { amount = netPrice, currency = "PLN" },
            vatRateCode = "23",
            unitCost = unitCost is null ? null : new { amount = unitCost, currency = "PLN" },
        });

    [Fact]
    public async Task Margin_is_booked_revenue_minus_quantity_times_unit_cost_and_a_return_gives_both_back()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var chair = await CostedProductAsync(manager, "100.00", "60.00");
        var lamp = await CostedProductAsync(manager, "40.00", null);
        Assert.Equal("60.00", chair.Str("unitCost"));

        // 3 chairs × 100.00 (cost 3 × 60.00), 2 lamps × 40.00 without a cost, a free-text line of 50.00.
        var invoice = await sales.IssueAsync((await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[]
            {
                new { productId = chair.Id(), description = "Krzesło", quantity = "3", unitPrice = "100.00", vatRateCode = "23" },
                new { productId = lamp.Id(), description = "Lampa", quantity = "2", unitPrice = "40.00", vatRateCode = "23" },
                new { description = "Transport", quantity = "1", unitPrice = "50.00", vatRateCode = "23" },
            },
        })).Id());
        var margin = await MarginOfAsync(partyId);
        Assert.Equal(("PLN", 430.00m, 180.00m, 130.00m, 250.00m), (margin.Currency, margin.Revenue, margin.CostOfGoods, margin.RevenueWithoutCost, margin.Margin));
        // The percentage is over the revenue whose cost is known: (300 − 180) / 300, not 250 / 430 = 58.1 % with the lamps and
        // the transport counted at 100 %.
        Assert.Equal(40.0m, margin.MarginPercent);

        // One chair comes back: revenue −100.00, cost −60.00.
        await sales.IssueAsync((await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections",
            new { reason = "Zwrot 1 krzesła", lines = new[] { new { position = 1, quantity = "2" } } })).Id());
        margin = await MarginOfAsync(partyId);
        Assert.Equal((330.00m, 120.00m, 130.00m, 210.00m), (margin.Revenue, margin.CostOfGoods, margin.RevenueWithoutCost, margin.Margin));

        // Drafts count nothing.
        await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { productId = chair.Id(), description = "Krzesło", quantity = "10", unitPrice = "100.00", vatRateCode = "23" } },
        });
        Assert.Equal(330.00m, (await MarginOfAsync(partyId)).Revenue);

        // The lamp's cost becomes known: margins use the product's cost as it is now.
        await manager.ExpectAsync(HttpMethod.Put, $"/api/products/{lamp.Id()}/unit-cost", new { unitCost = new { amount = "25.00", currency = "PLN" } }, HttpStatusCode.OK);
        margin = await MarginOfAsync(partyId);
        Assert.Equal((170.00m, 50.00m, 160.00m), (margin.CostOfGoods, margin.RevenueWithoutCost, margin.Margin));
        // Known-cost revenue 330 − 50 = 280: (280 − 170) / 280 = 39.28… %.
        Assert.Equal(39.3m, margin.MarginPercent);
    }

    [Fact]
    public async Task A_unit_cost_must_be_in_the_book_currency_not_negative_and_set_by_pricing_managers()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var product = await CostedProductAsync(manager, "10.00", null);
        var url = $"/api/products/{product.Id()}/unit-cost";

        var (status, problem, _) = await manager.SendAsync(HttpMethod.Put, url, new { unitCost = new { amount = "5.00", currency = "EUR" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("unitCost.currency"));
        (status, problem, _) = await manager.SendAsync(HttpMethod.Put, url, new { unitCost = new { amount = "-1", currency = "PLN" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("unitCost"));
        (status, _, _) = await (await app.ClientAsync(Roles.Sales)).SendAsync(HttpMethod.Put, url, new { unitCost = new { amount = "5.00", currency = "PLN" } });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Null((await manager.GetOkAsync($"/api/products/{product.Id()}"))["unitCost"]);
    }
}

public sealed class SqliteSalesMarginTests(SqliteApp app) : SalesMarginTests<SqliteApp>(app);

public sealed class PostgresSalesMarginTests(PostgresApp app) : SalesMarginTests<PostgresApp>(app);
