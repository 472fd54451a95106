using Kontor.Company;
using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.CustomerCard;

public sealed record ReceivablesTotal(string Currency, decimal Open, decimal Overdue);

/// <summary>The figures on the start page: how many customers, how much they owe, how much of it is late.</summary>
public sealed record Dashboard(DateOnly AsOf, int CustomerCount, IReadOnlyList<ReceivablesTotal> Receivables, int OverdueInvoiceCount, int DraftInvoiceCount);

public sealed class DashboardQuery(KontorDbContext db, BusinessCalendar calendar)
{
    public async Task<Dashboard> GetAsync(CancellationToken ct = default)
    {
        var today = calendar.Today();
        var customers = await db.Parties.AsNoTracking().CountAsync(ct);
        // Open items, not ledger sums: "open" and "overdue" are properties of documents, which the ledger does not know.
        var open = await db.OpenItems.AsNoTracking()
            .Where(o => o.Side == OpenItemSide.Receivable && o.OpenAmount > 0)
            .Select(o => new { o.Currency, o.OpenAmount, o.DueDate })
            .ToListAsync(ct);
        var drafts = await db.Invoices.AsNoTracking().CountAsync(i => i.Status == Sales.InvoiceStatus.Draft && i.Kind != Sales.InvoiceKind.ProForma, ct);
        var totals = open.GroupBy(o => o.Currency)
            .Select(g => new ReceivablesTotal(g.Key, g.Sum(o => o.OpenAmount), g.Where(o => o.DueDate < today).Sum(o => o.OpenAmount)))
            .OrderBy(t => t.Currency, StringComparer.Ordinal)
            .ToList();
        return new Dashboard(today, customers, totals, open.Count(o => o.DueDate < today), drafts);
    }
}
