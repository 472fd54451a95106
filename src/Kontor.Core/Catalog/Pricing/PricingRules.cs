namespace Kontor.Catalog.Pricing;

/// <summary>The customer as pricing sees it: who, and which price group (if any).</summary>
public sealed record PricingCustomer(Guid PartyId, Guid? PriceGroupId, string? PriceGroupName);

/// <summary>The product as pricing sees it.</summary>
public sealed record PricingProduct(Guid Id, decimal NetPrice, string Currency, Guid? ProductGroupId)
{
    public static PricingProduct Of(Product p) => new(p.Id, p.NetPrice, p.Currency, p.ProductGroupId);
}

/// <summary>
/// What pricing gives a line. <see cref="UnitPrice"/> is a net price in the document's currency, or null when
/// no price in that currency exists (the person enters one). The discount is 0 with source None when no rule applies.
/// </summary>
public sealed record LinePrice(
    decimal? UnitPrice, PriceSource? PriceSource, string? PriceSourceName,
    decimal DiscountPercent, DiscountSource DiscountSource, string? DiscountSourceName, Guid? DiscountRuleId);

/// <summary>
/// The precedence of docs/decisions.md ("Pricing"), as pure functions over already loaded rows.
/// Price: the customer's own price, else the customer's price group's price, else the product's list price —
/// each only in the document's currency and valid on the date (bounds inclusive); nothing is converted.
/// Discount: the highest percent of the rules that match; rules never add up; equal percents go to the more specific rule.
/// </summary>
public static class PricingRules
{
    public static LinePrice Resolve(PricingCustomer? customer, PricingProduct product, decimal quantity, string currency, DateOnly date,
        IEnumerable<PriceListEntry> prices, IEnumerable<DiscountRule> rules)
    {
        var candidates = prices.Where(p => p.ProductId == product.Id && p.Currency == currency && p.ValidOn(date)).ToList();
        decimal? unitPrice = null;
        PriceSource? source = null;
        string? sourceName = null;
        var own = customer is null ? null : Latest(candidates.Where(p => p.PartyId == customer.PartyId));
        var group = customer?.PriceGroupId is null ? null : Latest(candidates.Where(p => p.PriceGroupId == customer.PriceGroupId));
        if (own is not null) (unitPrice, source) = (own.NetPrice, Pricing.PriceSource.CustomerPrice);
        else if (group is not null) (unitPrice, source, sourceName) = (group.NetPrice, Pricing.PriceSource.PriceGroup, customer!.PriceGroupName);
        else if (product.Currency == currency) (unitPrice, source) = (product.NetPrice, Pricing.PriceSource.ListPrice);

        var rule = BestRule(customer, product, quantity, date, rules);
        return rule is null
            ? new LinePrice(unitPrice, source, sourceName, 0, DiscountSource.None, null, null)
            : new LinePrice(unitPrice, source, sourceName, rule.Percent,
                rule.MinQuantity is null ? DiscountSource.Rule : DiscountSource.QuantityRule, rule.Name, rule.Id);
    }

    public static bool Matches(DiscountRule rule, PricingCustomer? customer, PricingProduct product, decimal quantity, DateOnly date) =>
        rule.ValidOn(date)
        && (rule.PartyId is null || rule.PartyId == customer?.PartyId)
        && (rule.PriceGroupId is null || rule.PriceGroupId == customer?.PriceGroupId)
        && (rule.ProductGroupId is null || rule.ProductGroupId == product.ProductGroupId)
        && (rule.ProductId is null || rule.ProductId == product.Id)
        && (rule.MinQuantity is null || quantity >= rule.MinQuantity);

    public static DiscountRule? BestRule(PricingCustomer? customer, PricingProduct product, decimal quantity, DateOnly date, IEnumerable<DiscountRule> rules) =>
        rules.Where(r => Matches(r, customer, product, quantity, date))
            .OrderByDescending(r => r.Percent)
            .ThenByDescending(r => r.Specificity)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Id)
            .FirstOrDefault();

    // Entries of one key never overlap (the service refuses it); should old data disagree, the most recently starting one wins.
    private static PriceListEntry? Latest(IEnumerable<PriceListEntry> entries) =>
        entries.OrderByDescending(p => p.ValidFrom ?? DateOnly.MinValue).ThenByDescending(p => p.CreatedAt).FirstOrDefault();
}
