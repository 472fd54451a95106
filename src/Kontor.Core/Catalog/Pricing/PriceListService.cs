using Kontor.Common;
using Kontor.Crm;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Catalog.Pricing;

public sealed record SavePriceGroup(string? Name, string? Description);

public sealed record SaveProductGroup(string? Name);

/// <summary>A group price (<paramref name="PriceGroupId"/>) or a customer price (<paramref name="PartyId"/>): exactly one is set.</summary>
public sealed record SavePrice(Guid? PriceGroupId, Guid? PartyId, Guid? ProductId, decimal? NetPrice, string? Currency, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record SaveDiscountRule(string? Name, Guid? PartyId, Guid? PriceGroupId, Guid? ProductGroupId, Guid? ProductId,
    decimal? MinQuantity, decimal? Percent, DateOnly? ValidFrom, DateOnly? ValidTo);

/// <summary>A price row with the names a reader needs beside the ids.</summary>
public sealed record PriceListRow(PriceListEntry Entry, string ProductSku, string ProductName, string? PriceGroupName, string? PartyName);

/// <summary>A rule with the names of what it targets.</summary>
public sealed record DiscountRuleRow(DiscountRule Rule, string? PartyName, string? PriceGroupName, string? ProductGroupName, string? ProductName);

/// <summary>
/// Price groups and their price lists, customer prices, product groups and discount rules. Every change is
/// validated in full before anything is written (400 naming the field), one transaction, audited.
/// Overlapping validity for the same key is a conflict (409): pricing must never have to choose between two prices.
/// </summary>
public sealed class PriceListService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock)
{
    public const decimal MaxPrice = 1_000_000_000_000m;

    // ---- Price groups --------------------------------------------------------------------------------------------

    public async Task<IReadOnlyList<PriceGroup>> PriceGroupsAsync(CancellationToken ct = default) =>
        await db.PriceGroups.AsNoTracking().OrderBy(g => g.Name).ToListAsync(ct);

    public async Task<PriceGroup> PriceGroupAsync(Guid id, CancellationToken ct = default) =>
        await db.PriceGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, ct) ?? throw new NotFoundException("Price group", id);

    public async Task<PriceGroup> CreatePriceGroupAsync(SavePriceGroup c, CancellationToken ct = default)
    {
        var (name, description) = ValidateGroup(c);
        var group = new PriceGroup { Name = name, Description = description, CreatedAt = clock.GetUtcNow() };
        await unitOfWork.ExecuteAsync(async token =>
        {
            await RefuseDuplicateGroupNameAsync(name, null, token);
            db.PriceGroups.Add(group);
            audit.Record("price-group.created", nameof(PriceGroup), group.Id, new { group.Name, group.Description });
            return 0;
        }, ct);
        return group;
    }

    /// <summary>Renames a group; its customers follow the new name in the same transaction.</summary>
    public async Task<PriceGroup> UpdatePriceGroupAsync(Guid id, SavePriceGroup c, CancellationToken ct = default)
    {
        var (name, description) = ValidateGroup(c);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var group = await db.PriceGroups.FirstOrDefaultAsync(g => g.Id == id, token) ?? throw new NotFoundException("Price group", id);
            await RefuseDuplicateGroupNameAsync(name, id, token);
            var before = new { group.Name, group.Description };
            if (group.Name != name)
                foreach (var party in await db.Parties.Where(p => p.PriceGroup == group.Name).ToListAsync(token))
                {
                    party.PriceGroup = name;
                    party.Version = Guid.NewGuid();
                }
            group.Name = name;
            group.Description = description;
            group.Version = Guid.NewGuid();
            audit.Record("price-group.changed", nameof(PriceGroup), group.Id, new { before, after = new { group.Name, group.Description } });
            return group;
        }, ct);
    }

    /// <summary>Deletes a group with its price list; refused (409) while customers belong to it or rules target it.</summary>
    public async Task DeletePriceGroupAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var group = await db.PriceGroups.FirstOrDefaultAsync(g => g.Id == id, token) ?? throw new NotFoundException("Price group", id);
            var members = await db.Parties.CountAsync(p => p.PriceGroup == group.Name, token);
            if (members > 0) throw new ConflictException($"Price group {group.Name} has {members} customer(s); move them to another group first.");
            if (await db.DiscountRules.AnyAsync(r => r.PriceGroupId == id, token))
                throw new ConflictException($"Discount rules target price group {group.Name}; delete or change them first.");
            db.PriceListEntries.RemoveRange(await db.PriceListEntries.Where(e => e.PriceGroupId == id).ToListAsync(token));
            db.PriceGroups.Remove(group);
            audit.Record("price-group.deleted", nameof(PriceGroup), group.Id, new { group.Name });
            return 0;
        }, ct);

    /// <summary>
    /// The one check of a customer's price group: null/blank = none; otherwise an existing group's name
    /// (any letter case), returned as the group spells it.
    /// </summary>
    public static async Task<string?> ResolvePriceGroupNameAsync(KontorDbContext db, string? requested, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(requested) ? null : ResolvePriceGroupName(await PriceGroupNamesAsync(db, ct), requested);

    /// <summary>The defined price groups' names (read once by a caller resolving several requested groups).</summary>
    public static async Task<IReadOnlyList<string>> PriceGroupNamesAsync(KontorDbContext db, CancellationToken ct) =>
        await db.PriceGroups.AsNoTracking().Select(g => g.Name).ToListAsync(ct);

    /// <summary><see cref="ResolvePriceGroupNameAsync"/> over names already read.</summary>
    public static string? ResolvePriceGroupName(IReadOnlyList<string> names, string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return null;
        return names.FirstOrDefault(n => string.Equals(n, requested.Trim(), StringComparison.OrdinalIgnoreCase))
               ?? throw (names.Count == 0
                   ? new ValidationException("priceGroup", $"Price group \"{requested.Trim()}\" does not exist; no price groups are defined yet.")
                   : new ValidationException("priceGroup", $"Price group \"{requested.Trim()}\" does not exist; choose one of: {string.Join(", ", names.Order(StringComparer.Ordinal))}."));
    }

    /// <summary>Puts a customer into a price group (or none, with null).</summary>
    public async Task<Party> SetCustomerPriceGroupAsync(Guid partyId, string? priceGroup, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var name = await ResolvePriceGroupNameAsync(db, priceGroup, token);
            var party = await db.Parties.Include(p => p.Contacts).FirstOrDefaultAsync(p => p.Id == partyId, token) ?? throw new NotFoundException("Party", partyId);
            var before = party.PriceGroup;
            party.PriceGroup = name;
            party.Version = Guid.NewGuid();
            audit.Record("party.price-group-changed", nameof(Party), party.Id, new { before, after = name });
            return party;
        }, ct);

    private static (string Name, string? Description) ValidateGroup(SavePriceGroup? c)
    {
        var errors = new ValidationErrors();
        var name = errors.Text(c?.Name, "name", 50);
        var description = errors.Text(c?.Description, "description", 300, required: false);
        errors.ThrowIfAny();
        return (name!, description);
    }

    private async Task RefuseDuplicateGroupNameAsync(string name, Guid? except, CancellationToken ct)
    {
        var names = await db.PriceGroups.Where(g => g.Id != except).Select(g => g.Name).ToListAsync(ct);
        if (names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
            throw new ConflictException($"A price group named {name} already exists.");
    }

    // ---- Product groups ------------------------------------------------------------------------------------------

    public async Task<IReadOnlyList<ProductGroup>> ProductGroupsAsync(CancellationToken ct = default) =>
        await db.ProductGroups.AsNoTracking().OrderBy(g => g.Name).ToListAsync(ct);

    public async Task<ProductGroup> CreateProductGroupAsync(SaveProductGroup c, CancellationToken ct = default)
    {
        var name = ValidateProductGroup(c);
        var group = new ProductGroup { Name = name, CreatedAt = clock.GetUtcNow() };
        await unitOfWork.ExecuteAsync(async token =>
        {
            await RefuseDuplicateProductGroupNameAsync(name, null, token);
            db.ProductGroups.Add(group);
            audit.Record("product-group.created", nameof(ProductGroup), group.Id, new { group.Name });
            return 0;
        }, ct);
        return group;
    }

    public async Task<ProductGroup> UpdateProductGroupAsync(Guid id, SaveProductGroup c, CancellationToken ct = default)
    {
        var name = ValidateProductGroup(c);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var group = await db.ProductGroups.FirstOrDefaultAsync(g => g.Id == id, token) ?? throw new NotFoundException("Product group", id);
            await RefuseDuplicateProductGroupNameAsync(name, id, token);
            audit.Record("product-group.changed", nameof(ProductGroup), group.Id, new { before = group.Name, after = name });
            group.Name = name;
            group.Version = Guid.NewGuid();
            return group;
        }, ct);
    }

    /// <summary>Refused (409) while products belong to the group or rules target it.</summary>
    public async Task DeleteProductGroupAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var group = await db.ProductGroups.FirstOrDefaultAsync(g => g.Id == id, token) ?? throw new NotFoundException("Product group", id);
            var members = await db.Products.CountAsync(p => p.ProductGroupId == id, token);
            if (members > 0) throw new ConflictException($"Product group {group.Name} has {members} product(s); move them to another group first.");
            if (await db.DiscountRules.AnyAsync(r => r.ProductGroupId == id, token))
                throw new ConflictException($"Discount rules target product group {group.Name}; delete or change them first.");
            db.ProductGroups.Remove(group);
            audit.Record("product-group.deleted", nameof(ProductGroup), group.Id, new { group.Name });
            return 0;
        }, ct);

    /// <summary>Puts a product into a product group (or none, with null).</summary>
    public async Task<Product> SetProductGroupAsync(Guid productId, Guid? productGroupId, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var product = await db.Products.FirstOrDefaultAsync(p => p.Id == productId, token) ?? throw new NotFoundException("Product", productId);
            if (productGroupId is not null && !await db.ProductGroups.AnyAsync(g => g.Id == productGroupId, token))
                throw new ValidationException("productGroupId", $"Product group {productGroupId} does not exist.");
            audit.Record("product.group-changed", nameof(Product), product.Id, new { before = product.ProductGroupId, after = productGroupId });
            product.ProductGroupId = productGroupId;
            product.Version = Guid.NewGuid();
            return product;
        }, ct);

    private static string ValidateProductGroup(SaveProductGroup? c)
    {
        var errors = new ValidationErrors();
        var name = errors.Text(c?.Name, "name", 100);
        errors.ThrowIfAny();
        return name!;
    }

    private async Task RefuseDuplicateProductGroupNameAsync(string name, Guid? except, CancellationToken ct)
    {
        var names = await db.ProductGroups.Where(g => g.Id != except).Select(g => g.Name).ToListAsync(ct);
        if (names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
            throw new ConflictException($"A product group named {name} already exists.");
    }

    // ---- Group prices and customer prices ------------------------------------------------------------------------

    public async Task<IReadOnlyList<PriceListRow>> PricesAsync(Guid? priceGroupId, Guid? partyId, CancellationToken ct = default)
    {
        var query = db.PriceListEntries.AsNoTracking();
        if (priceGroupId is not null) query = query.Where(e => e.PriceGroupId == priceGroupId);
        if (partyId is not null) query = query.Where(e => e.PartyId == partyId);
        var rows = await query
            .Join(db.Products, e => e.ProductId, p => p.Id, (e, p) => new { e, p.Sku, p.Name })
            .OrderBy(x => x.Sku).ThenBy(x => x.e.Currency).ThenBy(x => x.e.ValidFrom)
            .ToListAsync(ct);
        var groups = await db.PriceGroups.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        var partyIds = rows.Where(r => r.e.PartyId is not null).Select(r => r.e.PartyId!.Value).Distinct().ToList();
        var parties = await db.Parties.AsNoTracking().Where(p => partyIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return rows.Select(r => new PriceListRow(r.e, r.Sku, r.Name,
            r.e.PriceGroupId is { } g ? groups.GetValueOrDefault(g) : null,
            r.e.PartyId is { } p ? parties.GetValueOrDefault(p) : null)).ToList();
    }

    public async Task<PriceListEntry> CreatePriceAsync(SavePrice c, CancellationToken ct = default)
    {
        var entry = new PriceListEntry { CreatedAt = clock.GetUtcNow() };
        return await unitOfWork.ExecuteAsync(async token =>
        {
            await ApplyPriceAsync(entry, c, token);
            db.PriceListEntries.Add(entry);
            audit.Record(entry.PartyId is null ? "price.group-price-created" : "price.customer-price-created", nameof(PriceListEntry), entry.Id, Summary(entry));
            return entry;
        }, ct);
    }

    /// <summary>Changes price, currency and validity; the key's owner (group or customer) and product stay.</summary>
    public async Task<PriceListEntry> UpdatePriceAsync(Guid id, SavePrice c, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var entry = await db.PriceListEntries.FirstOrDefaultAsync(e => e.Id == id, token) ?? throw new NotFoundException("Price", id);
            var before = Summary(entry);
            await ApplyPriceAsync(entry, c with { PriceGroupId = entry.PriceGroupId, PartyId = entry.PartyId, ProductId = c.ProductId ?? entry.ProductId }, token);
            entry.Version = Guid.NewGuid();
            audit.Record("price.changed", nameof(PriceListEntry), entry.Id, new { before, after = Summary(entry) });
            return entry;
        }, ct);

    public async Task DeletePriceAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var entry = await db.PriceListEntries.FirstOrDefaultAsync(e => e.Id == id, token) ?? throw new NotFoundException("Price", id);
            db.PriceListEntries.Remove(entry);
            audit.Record("price.deleted", nameof(PriceListEntry), entry.Id, Summary(entry));
            return 0;
        }, ct);

    private async Task ApplyPriceAsync(PriceListEntry entry, SavePrice? c, CancellationToken ct)
    {
        if (c is null) throw new ValidationException("body", "A price is required.");
        var errors = new ValidationErrors();
        errors.Require((c.PriceGroupId is null) != (c.PartyId is null), c.PartyId is null ? "priceGroupId" : "partyId", "A price belongs either to a price group or to a customer.");
        errors.Require(c.ProductId is not null, "productId", "productId is required.");
        errors.Require(c.NetPrice is not null, "netPrice", "netPrice is required.");
        errors.Require(c.NetPrice is null or >= 0, "netPrice", "netPrice cannot be negative.");
        errors.Require(c.NetPrice is null || (c.NetPrice < MaxPrice && decimal.Round(c.NetPrice.Value, 4) == c.NetPrice), "netPrice", "netPrice has at most 4 decimal places and must stay below 1 000 000 000 000.");
        var currency = errors.Try(() => Common.Currency.Parse(c.Currency ?? "PLN")).Code;
        errors.Require(c.ValidFrom is null || c.ValidTo is null || c.ValidFrom <= c.ValidTo, "validTo", "validTo cannot be before validFrom.");
        if (c.PriceGroupId is not null && !await db.PriceGroups.AnyAsync(g => g.Id == c.PriceGroupId, ct))
            errors.Add("priceGroupId", $"Price group {c.PriceGroupId} does not exist.");
        if (c.PartyId is not null && !await db.Parties.AnyAsync(p => p.Id == c.PartyId, ct))
            errors.Add("partyId", $"Party {c.PartyId} does not exist.");
        if (c.ProductId is not null && !await db.Products.AnyAsync(p => p.Id == c.ProductId, ct))
            errors.Add("productId", $"Product {c.ProductId} does not exist.");
        errors.ThrowIfAny();

        // PostgreSQL: two writers of prices for one product queue on the product row, so neither misses the other's overlap.
        if (db is PostgresKontorDbContext)
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM \"Products\" WHERE \"Id\" = {c.ProductId!.Value} FOR UPDATE", ct);
        var sameKey = await db.PriceListEntries.AsNoTracking()
            .Where(e => e.Id != entry.Id && e.ProductId == c.ProductId && e.Currency == currency
                        && e.PriceGroupId == c.PriceGroupId && e.PartyId == c.PartyId)
            .ToListAsync(ct);
        var clash = sameKey.FirstOrDefault(e => Overlaps(e.ValidFrom, e.ValidTo, c.ValidFrom, c.ValidTo));
        if (clash is not null)
            throw new ConflictException($"A {currency} price of this product already applies {Period(clash.ValidFrom, clash.ValidTo)} ({clash.NetPrice:0.00##}); end it before the new one starts or change it.");

        entry.PriceGroupId = c.PriceGroupId;
        entry.PartyId = c.PartyId;
        entry.ProductId = c.ProductId!.Value;
        entry.NetPrice = c.NetPrice!.Value;
        entry.Currency = currency!;
        entry.ValidFrom = c.ValidFrom;
        entry.ValidTo = c.ValidTo;
    }

    private static object Summary(PriceListEntry e) => new { e.PriceGroupId, e.PartyId, e.ProductId, e.NetPrice, e.Currency, e.ValidFrom, e.ValidTo };

    // ---- Discount rules ------------------------------------------------------------------------------------------

    public async Task<IReadOnlyList<DiscountRuleRow>> DiscountRulesAsync(CancellationToken ct = default)
    {
        var rules = await db.DiscountRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        var partyIds = rules.Where(r => r.PartyId is not null).Select(r => r.PartyId!.Value).Distinct().ToList();
        var productIds = rules.Where(r => r.ProductId is not null).Select(r => r.ProductId!.Value).Distinct().ToList();
        var parties = await db.Parties.AsNoTracking().Where(p => partyIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var priceGroups = await db.PriceGroups.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        var productGroups = await db.ProductGroups.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        return rules.Select(r => new DiscountRuleRow(r,
            r.PartyId is { } a ? parties.GetValueOrDefault(a) : null,
            r.PriceGroupId is { } b ? priceGroups.GetValueOrDefault(b) : null,
            r.ProductGroupId is { } c ? productGroups.GetValueOrDefault(c) : null,
            r.ProductId is { } d ? products.GetValueOrDefault(d) : null)).ToList();
    }

    public async Task<DiscountRule> CreateDiscountRuleAsync(SaveDiscountRule c, CancellationToken ct = default)
    {
        var rule = new DiscountRule { CreatedAt = clock.GetUtcNow() };
        return await unitOfWork.ExecuteAsync(async token =>
        {
            await ApplyRuleAsync(rule, c, token);
            db.DiscountRules.Add(rule);
            audit.Record("discount-rule.created", nameof(DiscountRule), rule.Id, Summary(rule));
            return rule;
        }, ct);
    }

    public async Task<DiscountRule> UpdateDiscountRuleAsync(Guid id, SaveDiscountRule c, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var rule = await db.DiscountRules.FirstOrDefaultAsync(r => r.Id == id, token) ?? throw new NotFoundException("Discount rule", id);
            var before = Summary(rule);
            await ApplyRuleAsync(rule, c, token);
            rule.Version = Guid.NewGuid();
            audit.Record("discount-rule.changed", nameof(DiscountRule), rule.Id, new { before, after = Summary(rule) });
            return rule;
        }, ct);

    public async Task DeleteDiscountRuleAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var rule = await db.DiscountRules.FirstOrDefaultAsync(r => r.Id == id, token) ?? throw new NotFoundException("Discount rule", id);
            db.DiscountRules.Remove(rule);
            audit.Record("discount-rule.deleted", nameof(DiscountRule), rule.Id, Summary(rule));
            return 0;
        }, ct);

    private async Task ApplyRuleAsync(DiscountRule rule, SaveDiscountRule? c, CancellationToken ct)
    {
        if (c is null) throw new ValidationException("body", "A discount rule is required.");
        var errors = new ValidationErrors();
        var name = errors.Text(c.Name, "name", 100);
        errors.Require(c.Percent is not null, "percent", "percent is required.");
        errors.Require(c.Percent is null or > 0 and <= 100, "percent", "percent must be greater than 0 and at most 100.");
        errors.Require(c.Percent is null || decimal.Round(c.Percent.Value, 2) == c.Percent, "percent", "percent has at most 2 decimal places.");
        errors.Require(c.MinQuantity is null or > 0 and < 1_000_000_000m, "minQuantity", "minQuantity must be greater than 0.");
        errors.Require(c.MinQuantity is null || decimal.Round(c.MinQuantity.Value, 4) == c.MinQuantity, "minQuantity", "minQuantity has at most 4 decimal places.");
        errors.Require(c.ValidFrom is null || c.ValidTo is null || c.ValidFrom <= c.ValidTo, "validTo", "validTo cannot be before validFrom.");
        if (c.PartyId is not null && !await db.Parties.AnyAsync(p => p.Id == c.PartyId, ct)) errors.Add("partyId", $"Party {c.PartyId} does not exist.");
        if (c.PriceGroupId is not null && !await db.PriceGroups.AnyAsync(g => g.Id == c.PriceGroupId, ct)) errors.Add("priceGroupId", $"Price group {c.PriceGroupId} does not exist.");
        if (c.ProductGroupId is not null && !await db.ProductGroups.AnyAsync(g => g.Id == c.ProductGroupId, ct)) errors.Add("productGroupId", $"Product group {c.ProductGroupId} does not exist.");
        if (c.ProductId is not null && !await db.Products.AnyAsync(p => p.Id == c.ProductId, ct)) errors.Add("productId", $"Product {c.ProductId} does not exist.");
        errors.ThrowIfAny();

        // Two rules with the same scopes in force at once are a typing mistake, not a choice: refused.
        var sameScope = await db.DiscountRules.AsNoTracking()
            .Where(r => r.Id != rule.Id && r.PartyId == c.PartyId && r.PriceGroupId == c.PriceGroupId && r.ProductGroupId == c.ProductGroupId
                        && r.ProductId == c.ProductId && r.MinQuantity == c.MinQuantity)
            .ToListAsync(ct);
        var clash = sameScope.FirstOrDefault(r => Overlaps(r.ValidFrom, r.ValidTo, c.ValidFrom, c.ValidTo));
        if (clash is not null)
            throw new ConflictException($"Rule «{clash.Name}» already gives a discount for the same customers, products and quantity {Period(clash.ValidFrom, clash.ValidTo)}; change it instead.");

        rule.Name = name!;
        rule.PartyId = c.PartyId;
        rule.PriceGroupId = c.PriceGroupId;
        rule.ProductGroupId = c.ProductGroupId;
        rule.ProductId = c.ProductId;
        rule.MinQuantity = c.MinQuantity;
        rule.Percent = c.Percent!.Value;
        rule.ValidFrom = c.ValidFrom;
        rule.ValidTo = c.ValidTo;
    }

    private static object Summary(DiscountRule r) => new { r.Name, r.PartyId, r.PriceGroupId, r.ProductGroupId, r.ProductId, r.MinQuantity, r.Percent, r.ValidFrom, r.ValidTo };

    /// <summary>Two inclusive periods with open ends (null = unbounded) share at least one day.</summary>
    public static bool Overlaps(DateOnly? fromA, DateOnly? toA, DateOnly? fromB, DateOnly? toB) =>
        (fromA ?? DateOnly.MinValue) <= (toB ?? DateOnly.MaxValue) && (fromB ?? DateOnly.MinValue) <= (toA ?? DateOnly.MaxValue);

    private static string Period(DateOnly? from, DateOnly? to) =>
        (from, to) switch
        {
            (null, null) => Messages.Translate("without time limits"),
            ({ } f, null) => Messages.Format("from {0:yyyy-MM-dd}", f),
            (null, { } t) => Messages.Format("until {0:yyyy-MM-dd}", t),
            ({ } f, { } t) => Messages.Format("from {0:yyyy-MM-dd} to {1:yyyy-MM-dd}", f, t),
        };
}
