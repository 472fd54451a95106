using Microsoft.EntityFrameworkCore;

namespace Kontor.Sales;

/// <summary>
/// "This document was made from that one": offer → invoice today; offer → pro forma / order, order →
/// invoice, invoice → correction later. Types are the document-type names of numbering series
/// ("offer", "invoice", ...), so a link can join any two kinds of document without a column per pair
/// (docs/decisions.md §14). Written in the same transaction as the document it creates; never changed.
/// </summary>
public sealed class DocumentLink
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string FromType { get; init; } = "";
    public Guid FromId { get; init; }
    public string ToType { get; init; } = "";
    public Guid ToId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public enum LinkDirection
{
    /// <summary>The other document is where this one came from.</summary>
    From,
    /// <summary>The other document was made from this one.</summary>
    To,
}

/// <summary>The document at the other end of a link, with what a reader needs to show and open it.</summary>
public sealed record LinkedDocument(LinkDirection Direction, string Type, Guid Id, string? Number, DateTimeOffset CreatedAt);

/// <summary>Links of one document, both ways, with the other document's number.</summary>
public sealed class DocumentLinkQueries(Persistence.KontorDbContext db)
{
    public async Task<IReadOnlyList<LinkedDocument>> OfAsync(Guid documentId, CancellationToken ct = default)
    {
        var rows = await db.DocumentLinks.AsNoTracking()
            .Where(l => l.FromId == documentId || l.ToId == documentId)
            .OrderBy(l => l.CreatedAt)
            .ToListAsync(ct);
        var others = rows.Select(l => l.FromId == documentId
            ? (Direction: LinkDirection.To, Type: l.ToType, Id: l.ToId, l.CreatedAt)
            : (Direction: LinkDirection.From, Type: l.FromType, Id: l.FromId, l.CreatedAt)).ToList();
        var numbers = new Dictionary<Guid, string?>();
        // One query per document type; each new document type adds its table here.
        // Corrections and pro formas are invoices too (docs/decisions.md §15, §23).
        var invoiceIds = others.Where(o => o.Type is NumberingSeries.InvoiceDocumentType or NumberingSeries.CorrectionDocumentType or NumberingSeries.ProFormaDocumentType).Select(o => o.Id).ToList();
        if (invoiceIds.Count > 0)
            foreach (var i in await db.Invoices.AsNoTracking().Where(i => invoiceIds.Contains(i.Id)).Select(i => new { i.Id, i.Number }).ToListAsync(ct))
                numbers[i.Id] = i.Number;
        var offerIds = others.Where(o => o.Type == Offers.Offer.DocumentType).Select(o => o.Id).ToList();
        if (offerIds.Count > 0)
            foreach (var o in await db.Offers.AsNoTracking().Where(o => offerIds.Contains(o.Id)).Select(o => new { o.Id, o.Number }).ToListAsync(ct))
                numbers[o.Id] = o.Number;
        var orderIds = others.Where(o => o.Type == Orders.Order.DocumentType).Select(o => o.Id).ToList();
        if (orderIds.Count > 0)
            foreach (var o in await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).Select(o => new { o.Id, o.Number }).ToListAsync(ct))
                numbers[o.Id] = o.Number;
        var complaintIds = others.Where(o => o.Type == Crm.Complaints.Complaint.DocumentType).Select(o => o.Id).ToList();
        if (complaintIds.Count > 0)
            foreach (var c in await db.Set<Crm.Complaints.Complaint>().AsNoTracking().Where(c => complaintIds.Contains(c.Id)).Select(c => new { c.Id, c.Number }).ToListAsync(ct))
                numbers[c.Id] = c.Number;
        var stockIds = others.Where(o => o.Type.StartsWith("stock-", StringComparison.Ordinal)).Select(o => o.Id).ToList();
        if (stockIds.Count > 0)
            foreach (var d in await db.StockDocuments.AsNoTracking().Where(d => stockIds.Contains(d.Id)).Select(d => new { d.Id, d.Number }).ToListAsync(ct))
                numbers[d.Id] = d.Number;
        return others.Select(o => new LinkedDocument(o.Direction, o.Type, o.Id, numbers.GetValueOrDefault(o.Id), o.CreatedAt)).ToList();
    }
}
