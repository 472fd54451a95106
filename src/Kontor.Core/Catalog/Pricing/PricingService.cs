using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Catalog.Pricing;

/// <summary>A priced line with the product it is for, as the quote endpoint and the line editor show it.</summary>
public sealed record PriceQuote(Guid? PartyId, Guid ProductId, decimal Quantity, string Currency, DateOnly Date, LinePrice Price);

/// <summary>
/// The price lists, customer prices and discount rules that can apply to a set of customers and products,
/// read once (a document with a thousand lines or a batch of invoices prices every line from memory).
/// </summary>
public sealed class PriceBook(
    IReadOnlyDictionary<Guid, PricingCustomer> customers,
    IReadOnlyList<PriceListEntry> prices,
    IReadOnlyList<DiscountRule> rules)
{
    public static readonly PriceBook Empty = new(new Dictionary<Guid, PricingCustomer>(), [], []);

    public LinePrice Price(Guid? partyId, PricingProduct product, decimal quantity, string currency, DateOnly date) =>
        PricingRules.Resolve(partyId is { } id ? customers.GetValueOrDefault(id) : null, product, quantity, currency, date, prices, rules);
}

/// <summary>Prices document lines: unit price, discount and where each comes from (docs/decisions.md, "Pricing").</summary>
public sealed class PricingService(KontorDbContext db, BusinessCalendar calendar)
{
    /// <summary>
    /// What a line of <paramref name="quantity"/> × <paramref name="productId"/> for <paramref name="partyId"/> costs in
    /// <paramref name="currency"/> on <paramref name="date"/> (default today). Unknown product or party → 400 naming the field.
    /// </summary>
    public async Task<PriceQuote> PriceLineAsync(Guid? partyId, Guid? productId, decimal? quantity, string? currency, DateOnly? date, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        errors.Require(productId is not null, "productId", "productId is required.");
        var code = errors.Try(() => Common.Currency.Parse(currency ?? "PLN")).Code;
        var qty = quantity ?? 1;
        errors.Require(qty != 0 && Math.Abs(qty) < 1_000_000_000m, "quantity", "quantity must be a non-zero number below 1 000 000 000.");
        var product = productId is null ? null : await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == productId, ct);
        if (productId is not null && product is null) errors.Add("productId", $"Product {productId} does not exist.");
        if (partyId is not null && !await db.Parties.AnyAsync(p => p.Id == partyId, ct)) errors.Add("partyId", $"Party {partyId} does not exist.");
        errors.ThrowIfAny();
        var on = date ?? calendar.Today();
        var book = await LoadAsync(partyId is null ? [] : [partyId.Value], [product!.Id], ct);
        return new PriceQuote(partyId, product.Id, qty, code!, on, book.Price(partyId, PricingProduct.Of(product), qty, code!, on));
    }

    /// <summary>Everything that can price the given customers' lines of the given products.</summary>
    public async Task<PriceBook> LoadAsync(IReadOnlyCollection<Guid> partyIds, IReadOnlyCollection<Guid> productIds, CancellationToken ct = default)
    {
        if (productIds.Count == 0) return PriceBook.Empty;
        var customers = new Dictionary<Guid, PricingCustomer>();
        var groups = await db.PriceGroups.AsNoTracking().ToDictionaryAsync(g => g.Name, g => g.Id, StringComparer.Ordinal, ct);
        foreach (var chunk in partyIds.Chunk(500))
            foreach (var p in await db.Parties.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.PriceGroup }).ToListAsync(ct))
            {
                Guid? groupId = p.PriceGroup is not null && groups.TryGetValue(p.PriceGroup, out var g) ? g : null;
                customers[p.Id] = new PricingCustomer(p.Id, groupId, groupId is null ? null : p.PriceGroup);
            }
        var groupIds = customers.Values.Where(c => c.PriceGroupId is not null).Select(c => c.PriceGroupId!.Value).Distinct().ToList();
        var prices = new List<PriceListEntry>();
        var parties = partyIds.ToList();
        foreach (var chunk in productIds.Chunk(500))
            prices.AddRange(await db.PriceListEntries.AsNoTracking()
                .Where(e => chunk.Contains(e.ProductId)
                            && ((e.PartyId != null && parties.Contains(e.PartyId.Value)) || (e.PriceGroupId != null && groupIds.Contains(e.PriceGroupId.Value))))
                .ToListAsync(ct));
        // Rules are few (tens, not thousands): all of them, matched in memory.
        var rules = await db.DiscountRules.AsNoTracking().ToListAsync(ct);
        return new PriceBook(customers, prices, rules);
    }
}
