using System.ComponentModel;
using System.Globalization;
using Kontor.Catalog;
using Kontor.Catalog.Pricing;
using Kontor.Common;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record PriceGroupRequest(string? Name, string? Description);

public sealed record PriceGroupDto(Guid Id, string Name, string? Description, DateTimeOffset CreatedAt)
{
    public static PriceGroupDto From(PriceGroup g) => new(g.Id, g.Name, g.Description, g.CreatedAt);
}

public sealed record ProductGroupRequest(string? Name);

public sealed record ProductGroupDto(Guid Id, string Name)
{
    public static ProductGroupDto From(ProductGroup g) => new(g.Id, g.Name);
}

[Description("productGroupId: the group, or null to take the product out of its group.")]
public sealed record ProductGroupAssignmentRequest(Guid? ProductGroupId);

[Description("priceGroup: the name of an existing price group, or null for none.")]
public sealed record PartyPriceGroupRequest(string? PriceGroup);

[Description("A net unit price in a currency (up to 4 decimals), valid from/to inclusive (both optional). On PUT productId may be omitted.")]
public sealed record PriceRequest(Guid? ProductId, MoneyDto? NetPrice, DateOnly? ValidFrom, DateOnly? ValidTo)
{
    public SavePrice ToCommand(Guid? priceGroupId, Guid? partyId)
    {
        var (amount, currency) = PricingWire.ParsePrice(NetPrice, "netPrice");
        return new SavePrice(priceGroupId, partyId, ProductId, amount, currency, ValidFrom, ValidTo);
    }
}

public sealed record PriceDto(Guid Id, Guid? PriceGroupId, string? PriceGroupName, Guid? PartyId, string? PartyName, Guid ProductId, string ProductSku, string ProductName,
    MoneyDto NetPrice, DateOnly? ValidFrom, DateOnly? ValidTo)
{
    public static PriceDto From(PriceListRow r) => new(r.Entry.Id, r.Entry.PriceGroupId, r.PriceGroupName, r.Entry.PartyId, r.PartyName,
        r.Entry.ProductId, r.ProductSku, r.ProductName, PricingWire.Price(r.Entry.NetPrice, r.Entry.Currency), r.Entry.ValidFrom, r.Entry.ValidTo);
}

[Description("Every scope that is set must match (customer, price group, product group, product, quantity ≥ minQuantity); percent in (0, 100]. The highest matching rule applies; rules never add up.")]
public sealed record DiscountRuleRequest(string? Name, Guid? PartyId, Guid? PriceGroupId, Guid? ProductGroupId, Guid? ProductId,
    decimal? MinQuantity, decimal? Percent, DateOnly? ValidFrom, DateOnly? ValidTo)
{
    public SaveDiscountRule ToCommand() => new(Name, PartyId, PriceGroupId, ProductGroupId, ProductId, MinQuantity, Percent, ValidFrom, ValidTo);
}

public sealed record DiscountRuleDto(Guid Id, string Name, Guid? PartyId, string? PartyName, Guid? PriceGroupId, string? PriceGroupName,
    Guid? ProductGroupId, string? ProductGroupName, Guid? ProductId, string? ProductName, decimal? MinQuantity, decimal Percent, DateOnly? ValidFrom, DateOnly? ValidTo)
{
    public static DiscountRuleDto From(DiscountRuleRow r) => new(r.Rule.Id, r.Rule.Name, r.Rule.PartyId, r.PartyName, r.Rule.PriceGroupId, r.PriceGroupName,
        r.Rule.ProductGroupId, r.ProductGroupName, r.Rule.ProductId, r.ProductName, r.Rule.MinQuantity, r.Rule.Percent, r.Rule.ValidFrom, r.Rule.ValidTo);
}

[Description("What pricing gives the line: unitPrice (net, null when no price exists in the currency: enter one), discountPercent, and where each comes from.")]
public sealed record PriceQuoteDto(Guid? PartyId, Guid ProductId, decimal Quantity, DateOnly Date, MoneyDto? UnitPrice, PriceSource? PriceSource, string? PriceSourceName,
    decimal DiscountPercent, DiscountSource DiscountSource, string? DiscountSourceName, Guid? DiscountRuleId)
{
    public static PriceQuoteDto From(PriceQuote q) => new(q.PartyId, q.ProductId, q.Quantity, q.Date,
        q.Price.UnitPrice is { } p ? PricingWire.Price(p, q.Currency) : null, q.Price.PriceSource, q.Price.PriceSourceName,
        q.Price.DiscountPercent, q.Price.DiscountSource, q.Price.DiscountSourceName, q.Price.DiscountRuleId);
}

/// <summary>Where a document line's price and discount came from; automatic* is the value pricing gave when a person entered another (source Manual).</summary>
public sealed record LinePricingDto(PriceSource? PriceSource, string? PriceSourceName, decimal? AutomaticUnitPrice,
    DiscountSource? DiscountSource, string? DiscountSourceName, decimal? AutomaticDiscountPercent)
{
    public static LinePricingDto From(LineTerms l) => new(l.PriceSource, l.PriceSourceName, l.AutomaticUnitPrice, l.DiscountSource, l.DiscountSourceName, l.AutomaticDiscountPercent);
}

public static class PricingWire
{
    /// <summary>Unit prices may have up to 4 decimals, unlike invoice amounts.</summary>
    public static MoneyDto Price(decimal amount, string currency) => new(amount.ToString("0.00##", CultureInfo.InvariantCulture), currency);

    public static (decimal? Amount, string? Currency) ParsePrice(MoneyDto? price, string field)
    {
        if (price is null) throw new ValidationException(field, $"{field} is required.");
        var errors = new ValidationErrors();
        if (!decimal.TryParse(price.Amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            errors.Add(field + ".amount", $"{field}.amount must be a decimal number such as \"123.45\".");
        if (!Currency.TryParse(price.Currency, out var currency))
            errors.Add(field + ".currency", $"{field}.currency must be an ISO 4217 code such as \"PLN\".");
        errors.ThrowIfAny();
        return (amount, currency.Code);
    }
}

/// <summary>Price groups, group and customer prices, product groups, discount rules and the quote. Everyone who sells reads; Admin and Manager change.</summary>
public static class PricingEndpoints
{
    public static void MapPricingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Pricing").RequireAuthorization(Policies.Sell);

        api.MapGet("/pricing/quote", async (Guid? partyId, Guid? productId, decimal? quantity, string? currency, DateOnly? date, PricingService pricing, CancellationToken ct) =>
                TypedResults.Ok(PriceQuoteDto.From(await pricing.PriceLineAsync(partyId, productId, quantity, currency, date, ct))))
            .WithSummary("Price one line: unit price (customer price, else price group, else list price — in the currency only) and the best discount rule, with their sources.");

        var groups = api.MapGroup("/price-groups");
        groups.MapGet("", async (PriceListService s, CancellationToken ct) => TypedResults.Ok((await s.PriceGroupsAsync(ct)).Select(PriceGroupDto.From).ToList()));
        groups.MapGet("/{id:guid}", async (Guid id, PriceListService s, CancellationToken ct) => TypedResults.Ok(PriceGroupDto.From(await s.PriceGroupAsync(id, ct))));
        groups.MapPost("", async (PriceGroupRequest r, PriceListService s, CancellationToken ct) =>
        {
            var group = await s.CreatePriceGroupAsync(new SavePriceGroup(r.Name, r.Description), ct);
            return TypedResults.Created($"/api/price-groups/{group.Id}", PriceGroupDto.From(group));
        }).RequireAuthorization(Policies.ManagePricing);
        groups.MapPut("/{id:guid}", async (Guid id, PriceGroupRequest r, PriceListService s, CancellationToken ct) =>
            TypedResults.Ok(PriceGroupDto.From(await s.UpdatePriceGroupAsync(id, new SavePriceGroup(r.Name, r.Description), ct))))
            .RequireAuthorization(Policies.ManagePricing).WithSummary("Change a group; renaming moves its customers to the new name.");
        groups.MapDelete("/{id:guid}", async (Guid id, PriceListService s, CancellationToken ct) =>
        {
            await s.DeletePriceGroupAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.ManagePricing).WithSummary("Delete a group and its price list; 409 while customers belong to it or rules target it.");
        groups.MapGet("/{id:guid}/prices", async (Guid id, PriceListService s, CancellationToken ct) =>
        {
            await s.PriceGroupAsync(id, ct);
            return TypedResults.Ok((await s.PricesAsync(id, null, ct)).Select(PriceDto.From).ToList());
        });
        groups.MapPost("/{id:guid}/prices", async (Guid id, PriceRequest r, PriceListService s, CancellationToken ct) =>
        {
            var entry = await s.CreatePriceAsync(r.ToCommand(id, null), ct);
            return TypedResults.Created($"/api/prices/{entry.Id}", PriceDto.From((await s.PricesAsync(id, null, ct)).First(x => x.Entry.Id == entry.Id)));
        }).RequireAuthorization(Policies.ManagePricing).WithSummary("Add a product's price to the group's list; 409 when one of the same currency already applies in the period.");

        api.MapGet("/parties/{id:guid}/prices", async (Guid id, PriceListService s, CancellationToken ct) =>
            TypedResults.Ok((await s.PricesAsync(null, id, ct)).Select(PriceDto.From).ToList())).WithSummary("The customer's own prices.");
        api.MapPost("/parties/{id:guid}/prices", async (Guid id, PriceRequest r, PriceListService s, CancellationToken ct) =>
        {
            var entry = await s.CreatePriceAsync(r.ToCommand(null, id), ct);
            return TypedResults.Created($"/api/prices/{entry.Id}", PriceDto.From((await s.PricesAsync(null, id, ct)).First(x => x.Entry.Id == entry.Id)));
        }).RequireAuthorization(Policies.ManagePricing).WithSummary("Add a customer price; 409 when one of the same currency already applies in the period.");
        api.MapPut("/parties/{id:guid}/price-group", async (Guid id, PartyPriceGroupRequest r, PriceListService s, CancellationToken ct) =>
            TypedResults.Ok(PartyDto.From(await s.SetCustomerPriceGroupAsync(id, r.PriceGroup, ct))))
            .RequireAuthorization(Policies.ManagePricing).WithSummary("Put the customer into a price group (null: none).");

        api.MapPut("/prices/{id:guid}", async (Guid id, PriceRequest r, PriceListService s, CancellationToken ct) =>
        {
            var entry = await s.UpdatePriceAsync(id, r.ToCommand(null, null), ct);
            return TypedResults.Ok(PriceDto.From((await s.PricesAsync(entry.PriceGroupId, entry.PartyId, ct)).First(x => x.Entry.Id == entry.Id)));
        }).RequireAuthorization(Policies.ManagePricing).WithSummary("Change a group or customer price (price, currency, validity).");
        api.MapDelete("/prices/{id:guid}", async (Guid id, PriceListService s, CancellationToken ct) =>
        {
            await s.DeletePriceAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.ManagePricing);

        var productGroups = api.MapGroup("/product-groups");
        productGroups.MapGet("", async (PriceListService s, CancellationToken ct) => TypedResults.Ok((await s.ProductGroupsAsync(ct)).Select(ProductGroupDto.From).ToList()));
        productGroups.MapPost("", async (ProductGroupRequest r, PriceListService s, CancellationToken ct) =>
        {
            var group = await s.CreateProductGroupAsync(new SaveProductGroup(r.Name), ct);
            return TypedResults.Created($"/api/product-groups/{group.Id}", ProductGroupDto.From(group));
        }).RequireAuthorization(Policies.ManagePricing);
        productGroups.MapPut("/{id:guid}", async (Guid id, ProductGroupRequest r, PriceListService s, CancellationToken ct) =>
            TypedResults.Ok(ProductGroupDto.From(await s.UpdateProductGroupAsync(id, new SaveProductGroup(r.Name), ct)))).RequireAuthorization(Policies.ManagePricing);
        productGroups.MapDelete("/{id:guid}", async (Guid id, PriceListService s, CancellationToken ct) =>
        {
            await s.DeleteProductGroupAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.ManagePricing).WithSummary("Delete a product group; 409 while products belong to it or rules target it.");
        api.MapPut("/products/{id:guid}/group", async (Guid id, ProductGroupAssignmentRequest r, PriceListService s, CancellationToken ct) =>
            TypedResults.Ok(ProductDto.From(await s.SetProductGroupAsync(id, r.ProductGroupId, ct))))
            .RequireAuthorization(Policies.ManagePricing).WithSummary("Put a product into a product group (null: none).");

        var rules = api.MapGroup("/discount-rules");
        rules.MapGet("", async (PriceListService s, CancellationToken ct) => TypedResults.Ok((await s.DiscountRulesAsync(ct)).Select(DiscountRuleDto.From).ToList()));
        rules.MapPost("", async (DiscountRuleRequest r, PriceListService s, CancellationToken ct) =>
        {
            var rule = await s.CreateDiscountRuleAsync(r.ToCommand(), ct);
            return TypedResults.Created($"/api/discount-rules/{rule.Id}", DiscountRuleDto.From((await s.DiscountRulesAsync(ct)).First(x => x.Rule.Id == rule.Id)));
        }).RequireAuthorization(Policies.ManagePricing);
        rules.MapPut("/{id:guid}", async (Guid id, DiscountRuleRequest r, PriceListService s, CancellationToken ct) =>
        {
            var rule = await s.UpdateDiscountRuleAsync(id, r.ToCommand(), ct);
            return TypedResults.Ok(DiscountRuleDto.From((await s.DiscountRulesAsync(ct)).First(x => x.Rule.Id == rule.Id)));
        }).RequireAuthorization(Policies.ManagePricing);
        rules.MapDelete("/{id:guid}", async (Guid id, PriceListService s, CancellationToken ct) =>
        {
            await s.DeleteDiscountRuleAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.ManagePricing);
    }
}
