using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Catalog;

/// <summary>
/// Another SKU a product is known by — a web shop's own code for it, a supplier's, an old one (docs/commerce.md "Mapping a shop's
/// SKU"). A shop order line with that SKU is the product. A product's own SKU always wins, so an alias is never the SKU of a
/// product, and one alias names one product.
/// </summary>
public sealed class ProductSkuAlias
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>Kept as <see cref="Product.NormalizeSku"/> keeps product SKUs (trimmed, upper case).</summary>
    public string Sku { get; init; } = "";
    public Guid ProductId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record SkuAliasView(Guid Id, string Sku, Guid ProductId, string ProductSku, string ProductName, DateTimeOffset CreatedAt);

public sealed class SkuAliasService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<SkuAliasView>> ListAsync(Guid? productId = null, CancellationToken ct = default)
    {
        var aliases = db.ProductSkuAliases.AsNoTracking();
        if (productId is not null) aliases = aliases.Where(a => a.ProductId == productId);
        return await (from alias in aliases
                      join product in db.Products on alias.ProductId equals product.Id
                      orderby alias.Sku
                      select new SkuAliasView(alias.Id, alias.Sku, product.Id, product.Sku, product.Name, alias.CreatedAt))
            .Take(5000).ToListAsync(ct);
    }

    /// <summary>
    /// Makes <paramref name="sku"/> another SKU of the product, named by <paramref name="productId"/> or by its own
    /// <paramref name="productSku"/> (what a person or an integrator knows). 400 names <c>sku</c>, <c>productId</c> or <c>productSku</c>;
    /// 409 when the SKU is a product's own or already another product's alias. The same alias for the same product again changes nothing.
    /// </summary>
    public async Task<SkuAliasView> AddAsync(string? sku, Guid? productId, string? productSku = null, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var key = Product.NormalizeSku(errors.Text(sku, "sku", 64));
        var targetSku = Product.NormalizeSku(errors.Text(productSku, "productSku", 64, required: false));
        errors.Require(productId is not null || targetSku is not null, "productSku", "Name the product: its productSku (or productId).");
        errors.Require(productId is null || targetSku is null, "productSku", "Name the product once: productSku or productId, not both.");
        errors.ThrowIfAny();
        // The view is built here, not read back: inside a caller's unit of work the row is not saved until it commits.
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var product = productId is not null
                ? await db.Products.AsNoTracking().Where(p => p.Id == productId).Select(p => new { p.Id, p.Sku, p.Name }).FirstOrDefaultAsync(token)
                  ?? throw new ValidationException("productId", $"There is no product {productId}.")
                : await db.Products.AsNoTracking().Where(p => p.Sku == targetSku).Select(p => new { p.Id, p.Sku, p.Name }).FirstOrDefaultAsync(token)
                  ?? throw new ValidationException("productSku", $"There is no product with SKU {targetSku}.");
            var owner = await db.Products.AsNoTracking().Where(p => p.Sku == key).Select(p => new { p.Id, p.Name }).FirstOrDefaultAsync(token);
            if (owner is not null)
                throw owner.Id == product.Id
                    ? new ConflictException($"{key} is already the product's own SKU.")
                    : new ConflictException($"{key} is the SKU of the product {owner.Name}; a product's own SKU cannot name another product.");
            var existing = await db.ProductSkuAliases.AsNoTracking().FirstOrDefaultAsync(a => a.Sku == key, token);
            if (existing is not null)
            {
                if (existing.ProductId == product.Id) return new SkuAliasView(existing.Id, existing.Sku, product.Id, product.Sku, product.Name, existing.CreatedAt);
                var other = await db.Products.AsNoTracking().Where(p => p.Id == existing.ProductId).Select(p => p.Sku).FirstAsync(token);
                throw new ConflictException($"{key} already names the product {other}; remove that mapping first.");
            }
            var alias = new ProductSkuAlias { Sku = key!, ProductId = product.Id, CreatedAt = clock.GetUtcNow() };
            db.ProductSkuAliases.Add(alias);
            audit.Record("product.sku-alias-added", nameof(Product), product.Id, new { Alias = alias.Sku, product.Sku });
            return new SkuAliasView(alias.Id, alias.Sku, product.Id, product.Sku, product.Name, alias.CreatedAt);
        }, ct);
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var alias = await db.ProductSkuAliases.FirstOrDefaultAsync(a => a.Id == id, token) ?? throw new NotFoundException("SKU mapping", id);
            db.ProductSkuAliases.Remove(alias);
            audit.Record("product.sku-alias-removed", nameof(Product), alias.ProductId, new { Alias = alias.Sku });
            return 0;
        }, ct);

    /// <summary>
    /// The products that <paramref name="skus"/> (normalised) name through an alias. Callers ask only for the SKUs no product has as its
    /// own, so the usual order — every SKU known — costs no query here.
    /// </summary>
    public async Task<Dictionary<string, Guid>> ProductIdsAsync(IReadOnlyCollection<string> skus, CancellationToken ct = default) =>
        skus.Count == 0 ? []
            : await db.ProductSkuAliases.AsNoTracking().Where(a => skus.Contains(a.Sku)).ToDictionaryAsync(a => a.Sku, a => a.ProductId, ct);
}
