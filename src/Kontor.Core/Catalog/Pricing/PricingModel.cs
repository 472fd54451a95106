namespace Kontor.Catalog.Pricing;

/// <summary>Where a line's unit price came from, in the order pricing tries them (docs/decisions.md, "Pricing").</summary>
public enum PriceSource
{
    /// <summary>Entered by a person: a line without a product, or a price other than the automatic one.</summary>
    Manual,
    /// <summary>The customer's own price for the product.</summary>
    CustomerPrice,
    /// <summary>The price list of the customer's price group.</summary>
    PriceGroup,
    /// <summary>The product's own net price (catalogue).</summary>
    ListPrice,
}

/// <summary>Where a line's discount came from.</summary>
public enum DiscountSource
{
    /// <summary>No rule applies and nobody entered one.</summary>
    None,
    /// <summary>A discount rule without a quantity threshold.</summary>
    Rule,
    /// <summary>A discount rule with a minimum quantity (rabat ilościowy).</summary>
    QuantityRule,
    Manual,
}

/// <summary>
/// A named price group (e.g. Hurt, Detal, VIP). A customer belongs to at most one, through
/// <see cref="Crm.Party.PriceGroup"/> which holds the group's name; the group's price list is a set of
/// <see cref="PriceListEntry"/> rows with <see cref="PriceListEntry.PriceGroupId"/> set.
/// </summary>
public sealed class PriceGroup
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid Version { get; set; } = Guid.NewGuid();
}

/// <summary>A group of products (e.g. Narzędzia) that discount rules can target.</summary>
public sealed class ProductGroup
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public Guid Version { get; set; } = Guid.NewGuid();
}

/// <summary>
/// A net unit price of a product in one currency, either in a price group's list (<see cref="PriceGroupId"/>)
/// or for one customer (<see cref="PartyId"/>) — exactly one of the two is set. Validity dates are inclusive;
/// entries of the same key (group or customer, product, currency) never overlap.
/// </summary>
public sealed class PriceListEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid? PriceGroupId { get; set; }
    public Guid? PartyId { get; set; }
    public Guid ProductId { get; set; }
    public decimal NetPrice { get; set; }
    public string Currency { get; set; } = "PLN";
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid Version { get; set; } = Guid.NewGuid();

    public bool ValidOn(DateOnly date) => (ValidFrom is null || ValidFrom <= date) && (ValidTo is null || date <= ValidTo);
}

/// <summary>
/// A percent discount. Each scope that is set must match (customer, price group, product group, product,
/// quantity ≥ <see cref="MinQuantity"/>); unset scopes match anything. Of all matching rules the highest
/// percent applies, rules never add up (docs/decisions.md, "Pricing").
/// </summary>
public sealed class DiscountRule
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid? PartyId { get; set; }
    public Guid? PriceGroupId { get; set; }
    public Guid? ProductGroupId { get; set; }
    public Guid? ProductId { get; set; }
    public decimal? MinQuantity { get; set; }
    public decimal Percent { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid Version { get; set; } = Guid.NewGuid();

    public bool ValidOn(DateOnly date) => (ValidFrom is null || ValidFrom <= date) && (ValidTo is null || date <= ValidTo);

    /// <summary>How many scopes the rule sets: the tie-breaker between rules of equal percent.</summary>
    public int Specificity =>
        (PartyId is null ? 0 : 1) + (PriceGroupId is null ? 0 : 1) + (ProductGroupId is null ? 0 : 1) + (ProductId is null ? 0 : 1) + (MinQuantity is null ? 0 : 1);
}

/// <summary>The sources a line had in the document it is copied from; kept as they are instead of pricing the line again.</summary>
public sealed record RecordedPricing(
    PriceSource? PriceSource, string? PriceSourceName, decimal? AutomaticUnitPrice,
    DiscountSource? DiscountSource, string? DiscountSourceName, decimal? AutomaticDiscountPercent);
