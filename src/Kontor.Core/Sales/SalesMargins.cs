using Kontor.Catalog;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kontor.Sales;

/// <summary>
/// Revenue, cost of goods and margin of a set of issued invoices, in the book currency.
/// <see cref="RevenueWithoutCost"/> is the part of <see cref="Revenue"/> from lines whose product has no unit cost
/// (or no product): it is in <see cref="Margin"/> at 100 %, so a screen showing the margin should say how much of it is unknown.
/// </summary>
public sealed record MarginFigures(string Currency, decimal Revenue, decimal CostOfGoods, decimal RevenueWithoutCost)
{
    public decimal Margin => Revenue - CostOfGoods;
    /// <summary>
    /// Margin as a percentage of the revenue whose cost is known, rounded to 0.1; null when no revenue has a known cost. Revenue
    /// without a cost would count at 100 % and make a company that never entered costs look 100 % profitable.
    /// </summary>
    public decimal? MarginPercent
    {
        get
        {
            var known = Revenue - RevenueWithoutCost;
            return known == 0 ? null : decimal.Round((known - CostOfGoods) / known * 100m, 1, MidpointRounding.AwayFromZero);
        }
    }
}

/// <summary>
/// One way to compute margins, for the customer card and for campaigns. Revenue is what the ledger credited to sales
/// revenue (700) for each invoice, in the book currency — so foreign-currency invoices, corrections and final invoices
/// (which credit the order's full net) count exactly as the books do, and advance invoices (845) count nothing.
/// Cost of goods is quantity × the product's current unit cost (Product.UnitCost, book currency); a correction
/// counts its quantity difference, so a return gives cost back. Costs are today's, not those of the sale's day:
/// stock valuation will replace them with the cost of the goods actually issued.
/// </summary>
public sealed class SalesMargins(KontorDbContext db, CompanyProfileProvider company, IOptions<PostingAccounts> accounts)
{
    public Task<MarginFigures> ForPartyAsync(Guid partyId, CancellationToken ct = default) =>
        ForAsync(db.Invoices.Where(i => i.PartyId == partyId), ct);

    public Task<MarginFigures> ForInvoicesAsync(IReadOnlyCollection<Guid> invoiceIds, CancellationToken ct = default) =>
        ForAsync(db.Invoices.Where(i => invoiceIds.Contains(i.Id)), ct);

    /// <summary>Margin of the issued revenue invoices among <paramref name="invoices"/> (drafts and pro formas are ignored).</summary>
    public async Task<MarginFigures> ForAsync(IQueryable<Invoice> invoices, CancellationToken ct = default)
    {
        var bookCurrency = (await company.GetAsync(ct)).BaseCurrency;
        var revenueAccount = accounts.Value.SalesRevenue;
        var issued = invoices.Where(i => i.Status == InvoiceStatus.Issued
            && (i.Kind == InvoiceKind.Vat || i.Kind == InvoiceKind.Correction || i.Kind == InvoiceKind.Final)).Select(i => i.Id);

        var revenueByInvoice = await (
                from line in db.JournalLines.AsNoTracking()
                join entry in db.JournalEntries.AsNoTracking() on line.EntryId equals entry.Id
                where line.AccountCode == revenueAccount && issued.Contains(entry.SourceId)
                group line by entry.SourceId into g
                select new { InvoiceId = g.Key, Revenue = g.Sum(l => l.BaseCredit) - g.Sum(l => l.BaseDebit) })
            .ToDictionaryAsync(x => x.InvoiceId, x => x.Revenue, ct);

        var lines = await (
                from line in db.InvoiceLines.AsNoTracking()
                where issued.Contains(line.InvoiceId)
                join product in db.Products.AsNoTracking() on line.ProductId equals product.Id into products
                from product in products.DefaultIfEmpty()
                select new { line.InvoiceId, line.ProductId, line.Quantity, line.BeforeQuantity, line.Net, line.BeforeNet, UnitCost = (decimal?)product!.UnitCost })
            .ToListAsync(ct);
        var stockCosts = await StockCostsAsync(issued, ct);

        decimal cost = 0, revenueWithoutCost = 0;
        foreach (var invoice in lines.GroupBy(l => l.InvoiceId))
        {
            var revenue = revenueByInvoice.GetValueOrDefault(invoice.Key);
            // A line's share of the booked revenue: its net (difference, on a correction) over the document's.
            var documentNet = invoice.Sum(l => l.Net - (l.BeforeNet ?? 0));
            foreach (var line in invoice)
            {
                // Goods that left on a WZ for this invoice (or its order) cost what the WZ says, added once below.
                if (line.ProductId is { } productId && stockCosts.ContainsKey((invoice.Key, productId))) continue;
                var quantity = line.Quantity - (line.BeforeQuantity ?? 0);
                if (line.UnitCost is { } unitCost)
                    cost += quantity * unitCost;
                else if (documentNet != 0)
                    revenueWithoutCost += revenue * (line.Net - (line.BeforeNet ?? 0)) / documentNet;
            }
            cost += stockCosts.Where(c => c.Key.InvoiceId == invoice.Key).Sum(c => c.Value);
        }
        var minor = Kontor.Common.Currency.Parse(bookCurrency).MinorUnits;
        return new MarginFigures(bookCurrency, revenueByInvoice.Values.Sum(),
            decimal.Round(cost, minor, MidpointRounding.AwayFromZero),
            decimal.Round(revenueWithoutCost, minor, MidpointRounding.AwayFromZero));
    }

    /// <summary>
    /// The FIFO cost of goods issued (WZ) less goods returned (ZW) per invoice and product, for posted stock documents that name the
    /// invoice or whose order went into it (an order is usually issued before it is invoiced). docs/inventory.md, "Margins".
    /// </summary>
    private async Task<Dictionary<(Guid InvoiceId, Guid ProductId), decimal>> StockCostsAsync(IQueryable<Guid> issued, CancellationToken ct)
    {
        var documents = db.StockDocuments.AsNoTracking().Where(d => d.Status == Inventory.StockDocumentStatus.Posted
            && (d.Kind == Inventory.StockDocumentKind.WZ || d.Kind == Inventory.StockDocumentKind.ZW));
        var byOrder = await (
                from d in documents
                join o in db.Orders.AsNoTracking() on d.OrderId equals o.Id
                where o.InvoiceId != null && issued.Contains(o.InvoiceId.Value)
                select new { d.Id, OrderInvoiceId = o.InvoiceId!.Value, OwnInvoiceId = d.InvoiceId, d.Kind })
            .ToListAsync(ct);
        var byInvoice = await documents.Where(d => d.InvoiceId != null && issued.Contains(d.InvoiceId.Value))
            .Select(d => new { d.Id, InvoiceId = d.InvoiceId!.Value, d.Kind }).ToListAsync(ct);
        // A return names the correction it belongs to; anything else counts for the invoice its order went into.
        var invoiceOf = new Dictionary<Guid, (Guid InvoiceId, Inventory.StockDocumentKind Kind)>();
        foreach (var d in byOrder) invoiceOf[d.Id] = (d.Kind == Inventory.StockDocumentKind.ZW && d.OwnInvoiceId is { } own ? own : d.OrderInvoiceId, d.Kind);
        foreach (var d in byInvoice) invoiceOf.TryAdd(d.Id, (d.InvoiceId, d.Kind));
        if (invoiceOf.Count == 0) return [];
        var ids = invoiceOf.Keys.ToList();
        var lines = await db.StockDocumentLines.AsNoTracking().Where(l => ids.Contains(l.DocumentId))
            .Select(l => new { l.DocumentId, l.ProductId, l.Value }).ToListAsync(ct);
        return lines.GroupBy(l => (invoiceOf[l.DocumentId].InvoiceId, l.ProductId))
            .ToDictionary(g => g.Key, g => g.Sum(l => invoiceOf[l.DocumentId].Kind == Inventory.StockDocumentKind.ZW ? -l.Value : l.Value));
    }
}
