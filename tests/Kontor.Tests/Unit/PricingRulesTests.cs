using Kontor.Catalog.Pricing;

namespace Kontor.Tests.Unit;

/// <summary>
/// The precedence of docs/decisions.md "Pricing", table-driven over one fixed catalogue. Every expected value is written
/// by hand from the fixture below, not computed by the code under test.
/// </summary>
public sealed class PricingRulesTests
{
    private static readonly Guid Hurtownia = Guid.Parse("00000000-0000-0000-0000-0000000000a1"); // in group Hurt, has own prices
    private static readonly Guid Sklep = Guid.Parse("00000000-0000-0000-0000-0000000000a2");     // in group Hurt, no own prices
    private static readonly Guid Osoba = Guid.Parse("00000000-0000-0000-0000-0000000000a3");     // no group
    private static readonly Guid Hurt = Guid.Parse("00000000-0000-0000-0000-0000000000b1");
    private static readonly Guid Vip = Guid.Parse("00000000-0000-0000-0000-0000000000b2");
    private static readonly Guid Tools = Guid.Parse("00000000-0000-0000-0000-0000000000c1");
    private static readonly Guid Drill = Guid.Parse("00000000-0000-0000-0000-0000000000d1");   // list 100.00 PLN, group Tools
    private static readonly Guid Manual = Guid.Parse("00000000-0000-0000-0000-0000000000d2");  // list 25.00 EUR, no group

    private static readonly Dictionary<string, PricingCustomer?> Customers = new()
    {
        ["hurtownia"] = new(Hurtownia, Hurt, "Hurt"),
        ["sklep"] = new(Sklep, Hurt, "Hurt"),
        ["osoba"] = new(Osoba, null, null),
        ["none"] = null,
    };

    private static readonly Dictionary<string, PricingProduct> Products = new()
    {
        ["drill"] = new(Drill, 100.00m, "PLN", Tools),
        ["manual"] = new(Manual, 25.00m, "EUR", null),
    };

    private static readonly PriceListEntry[] Prices =
    [
        // Hurtownia's own drill price, March 2026 only (bounds inclusive).
        new() { PartyId = Hurtownia, ProductId = Drill, NetPrice = 80.00m, Currency = "PLN", ValidFrom = new(2026, 3, 1), ValidTo = new(2026, 3, 31) },
        // Group Hurt's drill price from 2026 on, and its EUR price with no limits.
        new() { PriceGroupId = Hurt, ProductId = Drill, NetPrice = 90.00m, Currency = "PLN", ValidFrom = new(2026, 1, 1) },
        new() { PriceGroupId = Hurt, ProductId = Drill, NetPrice = 21.50m, Currency = "EUR" },
        // VIP's price: must never reach a Hurt customer.
        new() { PriceGroupId = Vip, ProductId = Drill, NetPrice = 60.00m, Currency = "PLN" },
        // Hurtownia's own manual price in PLN (the list price is in EUR).
        new() { PartyId = Hurtownia, ProductId = Manual, NetPrice = 99.00m, Currency = "PLN" },
    ];

    private static readonly DiscountRule[] Rules =
    [
        new() { Name = "Stały klient Hurtownia", PartyId = Hurtownia, Percent = 3m },
        new() { Name = "Narzędzia od 10 szt.", ProductGroupId = Tools, MinQuantity = 10m, Percent = 5m },
        new() { Name = "Hurtownia narzędzia od 10", PartyId = Hurtownia, ProductGroupId = Tools, MinQuantity = 10m, Percent = 5m },
        new() { Name = "Wiertarka od 50 szt.", ProductId = Drill, MinQuantity = 50m, Percent = 10m },
        new() { Name = "Promocja do 14 marca", ProductId = Drill, Percent = 20m, ValidFrom = new(2026, 3, 10), ValidTo = new(2026, 3, 14) },
        new() { Name = "VIP", PriceGroupId = Vip, Percent = 15m },
        new() { Name = "Hurt instrukcje", PriceGroupId = Hurt, ProductId = Manual, Percent = 2m },
    ];

    public static TheoryData<string, string, string, decimal, string, string, decimal?, PriceSource?, string?> PriceCases => new()
    {
        // case, customer, product, quantity, currency, date, expected price, source, source name
        { "customer price beats group and list", "hurtownia", "drill", 1m, "PLN", "2026-03-15", 80.00m, PriceSource.CustomerPrice, null },
        { "customer price on its first day", "hurtownia", "drill", 1m, "PLN", "2026-03-01", 80.00m, PriceSource.CustomerPrice, null },
        { "customer price on its last day", "hurtownia", "drill", 1m, "PLN", "2026-03-31", 80.00m, PriceSource.CustomerPrice, null },
        { "day after customer price ends: group price", "hurtownia", "drill", 1m, "PLN", "2026-04-01", 90.00m, PriceSource.PriceGroup, "Hurt" },
        { "day before customer price starts: group price", "hurtownia", "drill", 1m, "PLN", "2026-02-28", 90.00m, PriceSource.PriceGroup, "Hurt" },
        { "before the group price is valid: list price", "hurtownia", "drill", 1m, "PLN", "2025-12-31", 100.00m, PriceSource.ListPrice, null },
        { "group member without own price", "sklep", "drill", 1m, "PLN", "2026-03-15", 90.00m, PriceSource.PriceGroup, "Hurt" },
        { "customer without group: list price", "osoba", "drill", 1m, "PLN", "2026-03-15", 100.00m, PriceSource.ListPrice, null },
        { "no customer: list price", "none", "drill", 1m, "PLN", "2026-03-15", 100.00m, PriceSource.ListPrice, null },
        { "EUR document: only the EUR group price applies", "hurtownia", "drill", 1m, "EUR", "2026-03-15", 21.50m, PriceSource.PriceGroup, "Hurt" },
        { "currency without any price: none", "hurtownia", "drill", 1m, "USD", "2026-03-15", null, null, null },
        { "list price in another currency is not converted", "osoba", "manual", 1m, "PLN", "2026-03-15", null, null, null },
        { "list price in the document currency", "osoba", "manual", 1m, "EUR", "2026-03-15", 25.00m, PriceSource.ListPrice, null },
        { "customer PLN price of an EUR-listed product", "hurtownia", "manual", 1m, "PLN", "2026-03-15", 99.00m, PriceSource.CustomerPrice, null },
    };

    [Theory]
    [MemberData(nameof(PriceCases))]
    public void Unit_price_follows_customer_then_group_then_list_in_the_document_currency(
        string name, string customer, string product, decimal quantity, string currency, string date, decimal? price, PriceSource? source, string? sourceName)
    {
        var result = PricingRules.Resolve(Customers[customer], Products[product], quantity, currency, DateOnly.Parse(date), Prices, Rules);
        Assert.True((price, source, sourceName) == (result.UnitPrice, result.PriceSource, result.PriceSourceName),
            $"{name}: expected {price} {source} {sourceName}, got {result.UnitPrice} {result.PriceSource} {result.PriceSourceName}");
    }

    public static TheoryData<string, string, string, decimal, string, decimal, DiscountSource, string?> DiscountCases => new()
    {
        // case, customer, product, quantity, date, expected percent, source, rule
        { "customer rule below the tier", "hurtownia", "drill", 9.9999m, "2026-04-01", 3m, DiscountSource.Rule, "Stały klient Hurtownia" },
        { "tier at exactly the minimum: the more specific of two 5 % rules", "hurtownia", "drill", 10m, "2026-04-01", 5m, DiscountSource.QuantityRule, "Hurtownia narzędzia od 10" },
        { "tier for another customer", "sklep", "drill", 10m, "2026-04-01", 5m, DiscountSource.QuantityRule, "Narzędzia od 10 szt." },
        { "below the tier, no other rule", "sklep", "drill", 9m, "2026-04-01", 0m, DiscountSource.None, null },
        { "higher tier wins, rules do not add up", "hurtownia", "drill", 50m, "2026-04-01", 10m, DiscountSource.QuantityRule, "Wiertarka od 50 szt." },
        { "promotion on its last day beats everything", "hurtownia", "drill", 50m, "2026-03-14", 20m, DiscountSource.Rule, "Promocja do 14 marca" },
        { "promotion on its first day", "osoba", "drill", 1m, "2026-03-10", 20m, DiscountSource.Rule, "Promocja do 14 marca" },
        { "day after the promotion", "osoba", "drill", 1m, "2026-03-15", 0m, DiscountSource.None, null },
        { "another group's rule does not apply", "sklep", "drill", 1m, "2026-04-01", 0m, DiscountSource.None, null },
        { "group rule on one product", "sklep", "manual", 1m, "2026-04-01", 2m, DiscountSource.Rule, "Hurt instrukcje" },
        { "no customer: only rules without customer scopes", "none", "drill", 10m, "2026-04-01", 5m, DiscountSource.QuantityRule, "Narzędzia od 10 szt." },
        { "negative quantity (return) reaches no tier", "sklep", "drill", -20m, "2026-04-01", 0m, DiscountSource.None, null },
    };

    [Theory]
    [MemberData(nameof(DiscountCases))]
    public void Discount_is_the_best_matching_rule_and_ties_go_to_the_more_specific(
        string name, string customer, string product, decimal quantity, string date, decimal percent, DiscountSource source, string? rule)
    {
        var result = PricingRules.Resolve(Customers[customer], Products[product], quantity, "PLN", DateOnly.Parse(date), Prices, Rules);
        Assert.True((percent, source, rule) == (result.DiscountPercent, result.DiscountSource, result.DiscountSourceName),
            $"{name}: expected {percent} {source} {rule}, got {result.DiscountPercent} {result.DiscountSource} {result.DiscountSourceName}");
    }

    [Theory]
    [InlineData("2026-01-01", "2026-01-31", "2026-01-31", "2026-02-28", true)]  // share the 31st
    [InlineData("2026-01-01", "2026-01-31", "2026-02-01", null, false)]          // back to back
    [InlineData(null, null, "2030-01-01", "2030-01-01", true)]                   // unlimited covers everything
    [InlineData(null, "2026-01-31", "2026-02-01", null, false)]
    [InlineData("2026-03-01", null, null, "2026-03-01", true)]
    public void Validity_periods_overlap_when_they_share_a_day(string? fromA, string? toA, string? fromB, string? toB, bool overlap) =>
        Assert.Equal(overlap, PriceListService.Overlaps(D(fromA), D(toA), D(fromB), D(toB)));

    private static DateOnly? D(string? s) => s is null ? null : DateOnly.Parse(s);
}
