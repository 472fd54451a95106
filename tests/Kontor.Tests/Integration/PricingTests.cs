using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kontor.Catalog.Pricing;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// Pricing through the API on each database: the quote, new document lines priced and their sources recorded,
/// a manual override with its audit entry, conversion keeping the agreed price, who may change prices, bad input.
/// </summary>
public abstract class PricingTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    /// <summary>
    /// A customer in a fresh price group with a product (list 100.00 PLN) in a fresh product group; the group's
    /// price is 90.00, the customer's own price 80.00, and "qty ≥ 10 on the product group" gives 5 %.
    /// </summary>
    private async Task<(Guid Party, Guid Product, Guid PriceGroup, Guid ProductGroup, Guid CustomerPrice, string RuleName)> CatalogueAsync(HttpClient manager)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var group = (await manager.PostCreatedAsync("/api/price-groups", new { name = "Hurt " + suffix, description = "Hurtownie" })).Id();
        var party = (await manager.PostCreatedAsync("/api/parties", new
        {
            kind = "Company", name = "Hurtownia " + suffix, taxIdKind = "Nip", taxId = Builders.UniqueNip(),
            priceGroup = "hurt " + suffix.ToUpperInvariant(), // any letter case; stored as the group spells it
        }));
        Assert.Equal("Hurt " + suffix, party.Str("priceGroup"));
        var product = (await manager.CreateProductAsync("100.00")).Id();
        var tools = (await manager.PostCreatedAsync("/api/product-groups", new { name = "Narzędzia " + suffix })).Id();
        var assigned = await manager.ExpectAsync(HttpMethod.Put, $"/api/products/{product}/group", new { productGroupId = tools }, HttpStatusCode.OK);
        Assert.Equal(tools.ToString(), assigned.Str("productGroupId"));
        await manager.PostCreatedAsync($"/api/price-groups/{group}/prices", new { productId = product, netPrice = new { amount = "90.00", currency = "PLN" } });
        var customerPrice = (await manager.PostCreatedAsync($"/api/parties/{party.Id()}/prices", new { productId = product, netPrice = new { amount = "80.00", currency = "PLN" } })).Id();
        var ruleName = "Narzędzia od 10 szt. " + suffix;
        await manager.PostCreatedAsync("/api/discount-rules", new { name = ruleName, productGroupId = tools, minQuantity = 10, percent = 5 });
        return (party.Id(), product, group, tools, customerPrice, ruleName);
    }

    [Fact]
    public async Task Quote_gives_customer_price_and_the_tier_discount_from_exactly_the_minimum_quantity()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var (party, product, _, _, _, rule) = await CatalogueAsync(manager);
        var sales = await app.ClientAsync(Roles.Sales);

        var below = await sales.GetOkAsync($"/api/pricing/quote?partyId={party}&productId={product}&quantity=9.9999&currency=PLN&date=2026-03-20");
        Assert.Equal(("80.00", "CustomerPrice", 0m, "None"),
            (below["unitPrice"].Str("amount"), below.Str("priceSource"), below["discountPercent"]!.GetValue<decimal>(), below.Str("discountSource")));

        var at = await sales.GetOkAsync($"/api/pricing/quote?partyId={party}&productId={product}&quantity=10&currency=PLN");
        Assert.Equal(("80.00", "CustomerPrice", 5m, "QuantityRule", rule),
            (at["unitPrice"].Str("amount"), at.Str("priceSource"), at["discountPercent"]!.GetValue<decimal>(), at.Str("discountSource"), at.Str("discountSourceName")));

        // Without a customer: the list price; in EUR nothing (no conversion), the person enters a price.
        var anonymous = await sales.GetOkAsync($"/api/pricing/quote?productId={product}&quantity=1&currency=PLN");
        Assert.Equal(("100.00", "ListPrice"), (anonymous["unitPrice"].Str("amount"), anonymous.Str("priceSource")));
        var euro = await sales.GetOkAsync($"/api/pricing/quote?partyId={party}&productId={product}&quantity=1&currency=EUR");
        Assert.Null(euro["unitPrice"]);
        Assert.Null(euro["priceSource"]);
    }

    [Fact]
    public async Task New_invoice_line_gets_the_customer_price_and_the_tier_discount_with_their_sources()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var (party, product, _, _, _, rule) = await CatalogueAsync(manager);
        var sales = await app.ClientAsync(Roles.Sales);

        var invoice = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId = party, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { productId = product, quantity = 10 }, new { productId = product, quantity = 2 } },
        });

        var lines = invoice.Arr("lines");
        // 10 × 80.00 × 0.95 = 760.00; 2 × 80.00 = 160.00; net 920.00, VAT 23 % 211.60, gross 1131.60.
        Assert.Equal((80.00m, 5m), (lines[0]!["unitPrice"]!.GetValue<decimal>(), lines[0]!["discountPercent"]!.GetValue<decimal>()));
        Assert.Equal((80.00m, 0m), (lines[1]!["unitPrice"]!.GetValue<decimal>(), lines[1]!["discountPercent"]!.GetValue<decimal>()));
        Assert.Equal((920.00m, 211.60m, 1131.60m), (invoice.Amount("totalNet"), invoice.Amount("totalVat"), invoice.Amount("totalGross")));
        var pricing = lines[0]!["pricing"];
        Assert.Equal(("CustomerPrice", "QuantityRule", rule), (pricing.Str("priceSource"), pricing.Str("discountSource"), pricing.Str("discountSourceName")));
        Assert.Null(pricing!["automaticUnitPrice"]);
        Assert.Equal(("CustomerPrice", "None"), (lines[1]!["pricing"].Str("priceSource"), lines[1]!["pricing"].Str("discountSource")));

        // Gross pricing: the same net price, grossed up at the line's rate (80.00 × 1.23 = 98.40), still the customer's price.
        var gross = await sales.PostCreatedAsync("/api/invoices", new { partyId = party, currency = "PLN", pricingMode = "Gross", lines = new[] { new { productId = product, quantity = 1 } } });
        Assert.Equal(98.40m, gross.Arr("lines")[0]!["unitPrice"]!.GetValue<decimal>());
        Assert.Equal("CustomerPrice", gross.Arr("lines")[0]!["pricing"].Str("priceSource"));

        // Stored, not only answered.
        var stored = await app.QueryAsync(db => db.InvoiceLines.AsNoTracking().Where(l => l.InvoiceId == invoice.Id()).OrderBy(l => l.Position).ToListAsync());
        Assert.Equal((PriceSource.CustomerPrice, DiscountSource.QuantityRule, rule), (stored[0].PriceSource, stored[0].DiscountSource, stored[0].DiscountSourceName));
    }

    [Fact]
    public async Task A_price_or_discount_other_than_pricing_gives_is_manual_with_the_automatic_value_and_an_audit_entry()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var (party, product, _, _, _, _) = await CatalogueAsync(manager);
        var sales = await app.ClientAsync(Roles.Sales);

        var invoice = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId = party, currency = "PLN", pricingMode = "Net",
            lines = new object[]
            {
                new { productId = product, quantity = 10, unitPrice = "75.00" },                  // automatic 80.00, discount 5 kept
                new { productId = product, quantity = 1, unitPrice = "80.00", discountPercent = 2 }, // price as automatic, discount 0 → 2
                new { productId = product, quantity = 1, unitPrice = "80.00", discountPercent = 0 }, // exactly what pricing gives
            },
        });
        var lines = invoice.Arr("lines");
        var first = lines[0]!["pricing"];
        Assert.Equal(("Manual", 80.00m, "QuantityRule"), (first.Str("priceSource"), first!["automaticUnitPrice"]!.GetValue<decimal>(), first.Str("discountSource")));
        var second = lines[1]!["pricing"];
        Assert.Equal(("CustomerPrice", "Manual", 0m), (second.Str("priceSource"), second.Str("discountSource"), second!["automaticDiscountPercent"]!.GetValue<decimal>()));
        Assert.Equal(("CustomerPrice", "None"), (lines[2]!["pricing"].Str("priceSource"), lines[2]!["pricing"].Str("discountSource")));

        var entries = await OverridesAsync(invoice.Id());
        Assert.Equal(2, entries.Count);
        var price = JsonNode.Parse(entries[0].Details)!;
        Assert.Equal(("Invoice", 1, 80.00m, 75.00m), (entries[0].EntityType, price["line"]!.GetValue<int>(),
            price["unitPrice"]!["automatic"]!.GetValue<decimal>(), price["unitPrice"]!["manual"]!.GetValue<decimal>()));
        Assert.Null(price["discountPercent"]);
        Assert.Equal(KontorApp.UserByRole[Roles.Sales], entries[0].UserName);
        var discount = JsonNode.Parse(entries[1].Details)!;
        Assert.Equal((2, 0m, 2m), (discount["line"]!.GetValue<int>(), discount["discountPercent"]!["automatic"]!.GetValue<decimal>(), discount["discountPercent"]!["manual"]!.GetValue<decimal>()));

        // Saving the draft again with the same lines does not audit the same overrides twice; a new one is audited.
        await sales.ExpectAsync(HttpMethod.Put, $"/api/invoices/{invoice.Id()}", new
        {
            partyId = party, currency = "PLN", pricingMode = "Net",
            lines = new object[]
            {
                new { productId = product, quantity = 10, unitPrice = "75.00" },
                new { productId = product, quantity = 1, unitPrice = "80.00", discountPercent = 2 },
                new { productId = product, quantity = 1, unitPrice = "70.00", discountPercent = 0 },
            },
        }, HttpStatusCode.OK);
        var after = await OverridesAsync(invoice.Id());
        Assert.Equal(3, after.Count);
        Assert.Equal(3, JsonNode.Parse(after[2].Details)!["line"]!.GetValue<int>());
    }

    [Fact]
    public async Task Offer_converted_into_an_invoice_keeps_the_agreed_prices_and_their_sources()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var (party, product, _, _, customerPrice, rule) = await CatalogueAsync(manager);
        var sales = await app.ClientAsync(Roles.Sales);

        var offer = await sales.PostCreatedAsync("/api/offers", new
        {
            partyId = party, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { productId = product, quantity = 10 }, new { productId = product, quantity = 1, unitPrice = "77.00" } },
        });
        Assert.Equal(("CustomerPrice", "QuantityRule"), (offer.Arr("lines")[0]!["pricing"].Str("priceSource"), offer.Arr("lines")[0]!["pricing"].Str("discountSource")));
        Assert.Single(await OverridesAsync(offer.Id()));
        await sales.PostOkAsync($"/api/offers/{offer.Id()}/send");
        await sales.PostOkAsync($"/api/offers/{offer.Id()}/accept");

        // The customer's price goes up after the offer was accepted: the invoice still charges what was offered.
        await manager.ExpectAsync(HttpMethod.Put, $"/api/prices/{customerPrice}", new { netPrice = new { amount = "85.00", currency = "PLN" } }, HttpStatusCode.OK);
        var conversion = await sales.PostCreatedAsync($"/api/offers/{offer.Id()}/convert-to-invoice", new { });
        var invoiceId = Guid.Parse(conversion.Str("invoiceId"));
        var lines = (await sales.GetOkAsync($"/api/invoices/{invoiceId}")).Arr("lines");

        Assert.Equal((80.00m, 5m, "CustomerPrice", "QuantityRule", rule),
            (lines[0]!["unitPrice"]!.GetValue<decimal>(), lines[0]!["discountPercent"]!.GetValue<decimal>(),
             lines[0]!["pricing"].Str("priceSource"), lines[0]!["pricing"].Str("discountSource"), lines[0]!["pricing"].Str("discountSourceName")));
        Assert.Equal((77.00m, "Manual", 80.00m),
            (lines[1]!["unitPrice"]!.GetValue<decimal>(), lines[1]!["pricing"].Str("priceSource"), lines[1]!["pricing"]!["automaticUnitPrice"]!.GetValue<decimal>()));
        // The override was audited on the offer; the copy is not a new override.
        Assert.Empty(await OverridesAsync(invoiceId));
    }

    [Fact]
    public async Task Orders_invoiced_and_recurring_runs_keep_the_price_of_the_order_and_the_template()
    {
        app.Clock.SetDate(new DateOnly(2040, 1, 10));
        var manager = await app.ClientAsync(Roles.Manager);
        var (party, product, _, _, customerPrice, rule) = await CatalogueAsync(manager);
        var sales = await app.ClientAsync(Roles.Sales);
        var order = await sales.PostCreatedAsync("/api/orders", new { partyId = party, currency = "PLN", pricingMode = "Net", lines = new[] { new { productId = product, quantity = 10 } } });
        var schedule = await sales.PostCreatedAsync("/api/recurring-invoices", new
        {
            partyId = party, currency = "PLN", pricingMode = "Net", frequency = "Monthly", dayOfMonth = 10, startDate = new DateOnly(2040, 1, 10),
            endDate = new DateOnly(2040, 12, 31), issueAutomatically = false, lines = new[] { new { productId = product, quantity = 10 } },
        });
        Assert.Equal(("CustomerPrice", "QuantityRule"), (schedule.Arr("lines")[0]!["pricing"].Str("priceSource"), schedule.Arr("lines")[0]!["pricing"].Str("discountSource")));

        // The price changes after the order and the template were agreed.
        await manager.ExpectAsync(HttpMethod.Put, $"/api/prices/{customerPrice}", new { netPrice = new { amount = "85.00", currency = "PLN" } }, HttpStatusCode.OK);

        var fromOrder = await sales.PostCreatedAsync("/api/orders/invoice", new { orderIds = new[] { order.Id() } });
        var runs = (await (await app.ClientAsync(Roles.Accountant)).PostOkAsync("/api/recurring-invoices/run-due")).Arr("runs")
            .Where(r => r.Str("scheduleId") == schedule.Id().ToString()).ToList();
        var fromSchedule = Assert.Single(runs)!.Str("invoiceId");
        foreach (var invoiceId in new[] { fromOrder.Str("invoiceId"), fromSchedule })
        {
            var line = (await sales.GetOkAsync($"/api/invoices/{invoiceId}")).Arr("lines")[0]!;
            Assert.Equal((80.00m, 5m, "CustomerPrice", "QuantityRule", rule),
                (line["unitPrice"]!.GetValue<decimal>(), line["discountPercent"]!.GetValue<decimal>(),
                 line["pricing"].Str("priceSource"), line["pricing"].Str("discountSource"), line["pricing"].Str("discountSourceName")));
            Assert.Empty(await OverridesAsync(Guid.Parse(invoiceId)));
        }
        // A new line today gets the new price.
        var quote = await sales.GetOkAsync($"/api/pricing/quote?partyId={party}&productId={product}&quantity=10");
        Assert.Equal("85.00", quote["unitPrice"].Str("amount"));
    }

    [Fact]
    public async Task Sales_reads_pricing_but_only_admin_and_manager_change_it()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var (party, product, group, _, _, _) = await CatalogueAsync(manager);
        var sales = await app.ClientAsync(Roles.Sales);
        var before = await CountsAsync();

        Assert.NotEmpty((await sales.GetOkAsync("/api/price-groups")).AsArray());
        Assert.Single((await sales.GetOkAsync($"/api/price-groups/{group}/prices")).AsArray());
        Assert.Single((await sales.GetOkAsync($"/api/parties/{party}/prices")).AsArray());
        Assert.NotEmpty((await sales.GetOkAsync("/api/discount-rules")).AsArray());
        var refused = new[]
        {
            await sales.SendAsync(HttpMethod.Post, "/api/price-groups", new { name = "Sprzedawcy " + Guid.NewGuid().ToString("N")[..6] }),
            await sales.SendAsync(HttpMethod.Post, $"/api/parties/{party}/prices", new { productId = product, netPrice = new { amount = "1.00", currency = "EUR" } }),
            await sales.SendAsync(HttpMethod.Post, "/api/discount-rules", new { name = "Sam sobie", partyId = party, percent = 50 }),
            await sales.SendAsync(HttpMethod.Delete, $"/api/price-groups/{group}"),
        };
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Forbidden, r.Status));
        Assert.Equal(before, await CountsAsync());

        var admin = await app.ClientAsync(Roles.Admin);
        await admin.PostCreatedAsync("/api/discount-rules", new { name = "Admin " + Guid.NewGuid().ToString("N")[..6], partyId = party, percent = 1.5 });
    }

    [Fact]
    public async Task Renaming_a_price_group_moves_its_customers_and_a_group_in_use_is_not_deleted()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var (party, product, group, _, _, _) = await CatalogueAsync(manager);
        var newName = "Hurt plus " + Guid.NewGuid().ToString("N")[..6];

        await manager.ExpectAsync(HttpMethod.Put, $"/api/price-groups/{group}", new { name = newName }, HttpStatusCode.OK);
        Assert.Equal(newName, (await manager.GetOkAsync($"/api/parties/{party}")).Str("priceGroup"));
        var (inUse, problem, _) = await manager.SendAsync(HttpMethod.Delete, $"/api/price-groups/{group}");
        Assert.Equal(HttpStatusCode.Conflict, inUse);
        Assert.Contains(newName, problem.Str("detail"));

        // A second customer joins by name; the group's price (90.00) now applies to them.
        var other = (await manager.CreatePartyAsync()).Id();
        var joined = await manager.ExpectAsync(HttpMethod.Put, $"/api/parties/{other}/price-group", new { priceGroup = newName.ToUpperInvariant() }, HttpStatusCode.OK);
        Assert.Equal(newName, joined.Str("priceGroup"));
        var quote = await manager.GetOkAsync($"/api/pricing/quote?partyId={other}&productId={product}&quantity=1");
        Assert.Equal(("90.00", "PriceGroup", newName), (quote["unitPrice"].Str("amount"), quote.Str("priceSource"), quote.Str("priceSourceName")));

        // Once nobody belongs to it and no rule targets it, the group goes with its price list.
        await manager.ExpectAsync(HttpMethod.Put, $"/api/parties/{other}/price-group", new { priceGroup = (string?)null }, HttpStatusCode.OK);
        await manager.ExpectAsync(HttpMethod.Put, $"/api/parties/{party}/price-group", new { priceGroup = (string?)null }, HttpStatusCode.OK);
        await manager.ExpectAsync(HttpMethod.Delete, $"/api/price-groups/{group}", null, HttpStatusCode.NoContent);
        Assert.Equal(0, await app.QueryAsync(db => db.PriceListEntries.CountAsync(e => e.PriceGroupId == group)));
        var after = await manager.GetOkAsync($"/api/pricing/quote?partyId={party}&productId={product}&quantity=1");
        Assert.Equal("CustomerPrice", after.Str("priceSource"));
    }

    public static TheoryData<string, string, string, string> BadRequests => new()
    {
        // case, path, body (with {party}, {product}, {group}), field named in errors
        { "negative group price", "/api/price-groups/{group}/prices", """{"productId":"{product}","netPrice":{"amount":"-1.00","currency":"PLN"}}""", "netPrice" },
        { "unknown product in a customer price", "/api/parties/{party}/prices", """{"productId":"{nowhere}","netPrice":{"amount":"1.00","currency":"PLN"}}""", "productId" },
        { "price without a product", "/api/parties/{party}/prices", """{"netPrice":{"amount":"1.00","currency":"PLN"}}""", "productId" },
        { "unknown currency", "/api/parties/{party}/prices", """{"productId":"{product}","netPrice":{"amount":"1.00","currency":"XYZ"}}""", "netPrice.currency" },
        { "validity ending before it starts", "/api/parties/{party}/prices", """{"productId":"{product}","netPrice":{"amount":"1.00","currency":"EUR"},"validFrom":"2026-05-01","validTo":"2026-04-30"}""", "validTo" },
        { "price of an unknown customer", "/api/parties/{nowhere}/prices", """{"productId":"{product}","netPrice":{"amount":"1.00","currency":"EUR"}}""", "partyId" },
        { "discount of 0 %", "/api/discount-rules", """{"name":"Zero","percent":0}""", "percent" },
        { "discount over 100 %", "/api/discount-rules", """{"name":"Za dużo","percent":100.01}""", "percent" },
        { "discount without a percent", "/api/discount-rules", """{"name":"Brak"}""", "percent" },
        { "rule for an unknown product group", "/api/discount-rules", """{"name":"Nic","productGroupId":"{nowhere}","percent":5}""", "productGroupId" },
        { "rule for an unknown customer", "/api/discount-rules", """{"name":"Nikt","partyId":"{nowhere}","percent":5}""", "partyId" },
        { "rule with a zero minimum quantity", "/api/discount-rules", """{"name":"Od zera","minQuantity":0,"percent":5}""", "minQuantity" },
        { "rule without a name", "/api/discount-rules", """{"percent":5}""", "name" },
        { "price group without a name", "/api/price-groups", """{"name":" "}""", "name" },
        { "customer in an unknown price group", "/api/parties", """{"kind":"Company","name":"Bez grupy","priceGroup":"Nieistniejąca"}""", "priceGroup" },
        { "quote without a product", "/api/pricing/quote?partyId={party}", "", "productId" },
        { "quote of an unknown product", "/api/pricing/quote?productId={nowhere}", "", "productId" },
        { "quote for an unknown customer", "/api/pricing/quote?partyId={nowhere}&productId={product}", "", "partyId" },
        { "quote of an unreadable quantity", "/api/pricing/quote?productId={product}&quantity=dziesięć", "", "quantity" },
        { "quote of a zero quantity", "/api/pricing/quote?productId={product}&quantity=0", "", "quantity" },
        { "quote in an unknown currency", "/api/pricing/quote?productId={product}&currency=ZZZ", "", "currency" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_refused_naming_the_field_and_nothing_is_written(string name, string path, string body, string field)
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var (party, product, group, _, _, _) = await CatalogueAsync(manager);
        var before = await CountsAsync();
        string Fill(string s) => s.Replace("{party}", party.ToString()).Replace("{product}", product.ToString())
            .Replace("{group}", group.ToString()).Replace("{nowhere}", Guid.NewGuid().ToString());

        var (status, problem, _) = body.Length == 0
            ? await manager.SendAsync(HttpMethod.Get, Fill(path))
            : await manager.SendAsync(HttpMethod.Post, Fill(path), Fill(body));

        Assert.True(status == HttpStatusCode.BadRequest, $"{name}: expected 400, got {(int)status} {problem?.ToJsonString()}");
        Assert.True(problem?["errors"]?[field] is JsonArray { Count: > 0 }, $"{name}: expected errors[\"{field}\"], got {problem?.ToJsonString()}");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Overlapping_validity_for_the_same_key_is_a_conflict_and_back_to_back_periods_are_fine()
    {
        var manager = await app.ClientAsync(Roles.Manager);
        var (party, product, _, tools, _, _) = await CatalogueAsync(manager);
        var prices = $"/api/parties/{party}/prices";
        await manager.PostCreatedAsync(prices, new { productId = product, netPrice = new { amount = "20.00", currency = "EUR" }, validFrom = "2026-01-01", validTo = "2026-06-30" });
        // The next period starts the day after: no overlap.
        await manager.PostCreatedAsync(prices, new { productId = product, netPrice = new { amount = "21.00", currency = "EUR" }, validFrom = "2026-07-01" });
        var before = await CountsAsync();

        var (status, problem, _) = await manager.SendAsync(HttpMethod.Post, prices,
            new { productId = product, netPrice = new { amount = "19.00", currency = "EUR" }, validFrom = "2026-06-30", validTo = "2026-06-30" });
        Assert.True(status == HttpStatusCode.Conflict, $"expected 409, got {(int)status} {problem?.ToJsonString()}");
        Assert.Contains("2026-01-01", problem.Str("detail"));
        // The PLN customer price (no limits) already covers every day.
        var pln = await manager.SendAsync(HttpMethod.Post, prices, new { productId = product, netPrice = new { amount = "70.00", currency = "PLN" }, validFrom = "2027-01-01" });
        Assert.Equal(HttpStatusCode.Conflict, pln.Status);
        var sameRule = await manager.SendAsync(HttpMethod.Post, "/api/discount-rules", new { name = "Drugi raz", productGroupId = tools, minQuantity = 10, percent = 7 });
        Assert.Equal(HttpStatusCode.Conflict, sameRule.Status);
        Assert.Equal(before, await CountsAsync());

        // Deleting a group with customers or rules is refused; product group likewise.
        var groupInUse = await manager.SendAsync(HttpMethod.Delete, $"/api/product-groups/{tools}");
        Assert.Equal(HttpStatusCode.Conflict, groupInUse.Status);
        Assert.Equal(before, await CountsAsync());
    }

    private Task<string> CountsAsync() => app.QueryAsync(async db => JsonSerializer.Serialize(new
    {
        groups = await db.PriceGroups.CountAsync(),
        productGroups = await db.ProductGroups.CountAsync(),
        prices = await db.PriceListEntries.CountAsync(),
        rules = await db.DiscountRules.CountAsync(),
        parties = await db.Parties.CountAsync(),
        priceSum = (await db.PriceListEntries.Select(e => e.NetPrice).ToListAsync()).Sum(),
    }));

    /// <summary>The document's override entries by line (entries of one save share a millisecond, so ids do not order them).</summary>
    private async Task<List<AuditEntry>> OverridesAsync(Guid documentId) =>
        (await app.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == LineSources.OverrideAction && a.EntityId == documentId.ToString()).ToListAsync()))
        .OrderBy(a => JsonNode.Parse(a.Details)!["line"]!.GetValue<int>()).ToList();
}

public sealed class SqlitePricingTests(SqliteApp app) : PricingTests<SqliteApp>(app);

public sealed class PostgresPricingTests(PostgresApp app) : PricingTests<PostgresApp>(app);
