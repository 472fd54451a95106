using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Catalog;

public enum ProductKind { Goods, Service }

public sealed class Product
{
    /// <summary>How a SKU is kept and looked up (trimmed, upper case): a shop's "kubek-01 " is the catalogue's KUBEK-01.</summary>
    public static string? NormalizeSku(string? sku) => string.IsNullOrWhiteSpace(sku) ? null : sku.Trim().ToUpperInvariant();

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public ProductKind Kind { get; set; }
    public string Unit { get; set; } = "szt.";
    public decimal NetPrice { get; set; }
    public string Currency { get; set; } = "PLN";
    public string VatRateCode { get; set; } = "23";
    /// <summary>The product group discount rules can target (Catalog/Pricing); none by default.</summary>
    public Guid? ProductGroupId { get; set; }
    /// <summary>
    /// What one unit costs the company, in the company's book currency (PLN/RUB) whatever the selling currency:
    /// the cost of goods behind margins on the customer card and per campaign (Sales/SalesMargins). Null = not known,
    /// and such lines are reported as revenue without cost rather than as 100 % margin.
    /// </summary>
    public decimal? UnitCost { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; init; }
    public Guid Version { get; set; } = Guid.NewGuid();
}

public sealed record CreateProduct(string? Sku, string? Name, ProductKind Kind, string? Unit, decimal NetPrice, string? Currency, string? VatRateCode,
    decimal? UnitCost = null, string? UnitCostCurrency = null);

public sealed class ProductService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, VatRates vatRates, CompanyProfileProvider company, TimeProvider clock, BusinessCalendar calendar,
    Commerce.ChannelSyncCollector channelSync)
{
    public async Task<Product> CreateAsync(CreateProduct c, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var sku = Product.NormalizeSku(errors.Text(c.Sku, "sku", 64));
        var name = errors.Text(c.Name, "name", 300);
        var unit = errors.Text(c.Unit ?? "szt.", "unit", 20);
        errors.Require(Enum.IsDefined(c.Kind), "kind", "kind must be Goods or Service.");
        errors.Require(c.NetPrice >= 0, "netPrice", "netPrice cannot be negative.");
        errors.Require(c.NetPrice < 1_000_000_000_000m, "netPrice", "netPrice is too large.");
        var currency = errors.Try(() => Currency.Parse(c.Currency ?? "PLN"));
        var profile = await company.GetAsync(ct);
        var unitCost = ValidUnitCost(errors, c.UnitCost, c.UnitCostCurrency, profile.BaseCurrency);
        var rate = await errors.TryAsync(() => vatRates.ResolveAsync(profile.CountryCode, c.VatRateCode ?? profile.DefaultVatRateCode, calendar.Today(), "vatRateCode", ct));
        errors.ThrowIfAny();
        var product = new Product
        {
            Sku = sku!,
            Name = name!,
            Kind = c.Kind,
            Unit = unit!,
            NetPrice = decimal.Round(c.NetPrice, 4, MidpointRounding.AwayFromZero),
            Currency = currency.Code,
            VatRateCode = rate!.Code,
            UnitCost = unitCost,
            CreatedAt = clock.GetUtcNow(),
        };
        await unitOfWork.ExecuteAsync(async token =>
        {
            if (await db.Products.AnyAsync(p => p.Sku == product.Sku, token))
                throw new ConflictException($"A product with SKU {product.Sku} already exists.");
            // A product's own SKU wins over a mapping: the new product would silently take the shop's lines from the mapped one.
            if (await db.ProductSkuAliases.Where(a => a.Sku == product.Sku).Join(db.Products, a => a.ProductId, p => p.Id, (a, p) => p.Sku).FirstOrDefaultAsync(token) is { } mappedTo)
                throw new ConflictException($"{product.Sku} is mapped to the product {mappedTo} (a shop's SKU for it); remove that mapping first or choose another SKU.");
            db.Products.Add(product);
            audit.Record("product.created", nameof(Product), product.Id, new { product.Sku, product.Name, product.NetPrice, product.Currency, product.VatRateCode, product.UnitCost });
            return 0;
        }, ct);
        return product;
    }

    /// <summary>
    /// Changes the catalogue (list) net price, in the product's currency; audited. The shops that sell the product get the new
    /// price through the outbox in the same transaction (docs/commerce.md, "Outbound sync").
    /// </summary>
    public async Task<Product> SetNetPriceAsync(Guid id, decimal netPrice, string? currency, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        errors.Require(netPrice >= 0, "netPrice", "netPrice cannot be negative.");
        errors.Require(netPrice < 1_000_000_000_000m, "netPrice", "netPrice is too large.");
        errors.ThrowIfAny();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, token) ?? throw new NotFoundException("Product", id);
            if (currency is not null && !string.Equals(currency, product.Currency, StringComparison.OrdinalIgnoreCase))
                throw new ValidationException("netPrice.currency", $"The product is priced in {product.Currency}.");
            var before = product.NetPrice;
            var after = decimal.Round(netPrice, 4, MidpointRounding.AwayFromZero);
            if (after == before) return product;
            product.NetPrice = after;
            product.Version = Guid.NewGuid();
            audit.Record("product.price", nameof(Product), product.Id, new { product.Sku, Before = before, After = after, product.Currency });
            channelSync.PriceChanged(product.Id);
            return product;
        }, ct);
    }

    /// <summary>Sets or clears (null) the unit cost in the book currency; audited, since margins follow it.</summary>
    public async Task<Product> SetUnitCostAsync(Guid id, decimal? unitCost, string? currency, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var cost = ValidUnitCost(errors, unitCost, currency, (await company.GetAsync(ct)).BaseCurrency);
        errors.ThrowIfAny();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, token) ?? throw new NotFoundException("Product", id);
            var before = product.UnitCost;
            product.UnitCost = cost;
            product.Version = Guid.NewGuid();
            audit.Record("product.unit-cost", nameof(Product), product.Id, new { product.Sku, Before = before, After = cost });
            return product;
        }, ct);
    }

    private static decimal? ValidUnitCost(ValidationErrors errors, decimal? unitCost, string? currency, string bookCurrency)
    {
        if (unitCost is not { } cost) return null;
        errors.Require(currency is null || string.Equals(currency, bookCurrency, StringComparison.OrdinalIgnoreCase), "unitCost.currency",
            $"unitCost must be in the book currency {bookCurrency}.");
        errors.Require(cost >= 0, "unitCost", "unitCost cannot be negative.");
        errors.Require(cost < 1_000_000_000_000m, "unitCost", "unitCost is too large.");
        return decimal.Round(cost, 4, MidpointRounding.AwayFromZero);
    }

    public async Task<Product> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException("Product", id);

    public async Task<IReadOnlyList<Product>> ListAsync(string? search, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var query = db.Products.AsNoTracking().Where(p => p.IsActive);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLower();
            query = query.Where(p => p.Name.ToLower().Contains(term) || p.Sku.ToLower().Contains(term));
        }
        return await query.OrderBy(p => p.Name).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
    }
}
