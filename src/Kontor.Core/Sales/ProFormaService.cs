using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Sales;

/// <summary>
/// Pro forma invoices (docs/decisions.md §23): an <see cref="Invoice"/> of <see cref="InvoiceKind.ProForma"/>,
/// drafted, issued and cancelled through <see cref="InvoiceService"/> (issuing numbers it PF/yyyy/MM/n and posts
/// nothing), and converted once into a VAT invoice draft.
/// </summary>
public sealed class ProFormaService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, InvoiceService invoices, TimeProvider clock)
{
    /// <summary>A new pro forma draft: credit-checked like a new invoice (<see cref="Crm.Credit.CreditControl"/>).</summary>
    public Task<Invoice> CreateDraftAsync(SaveInvoiceDraft command, Crm.Credit.CreditOverride? creditOverride = null, CancellationToken ct = default) =>
        invoices.CreateDraftAsync(command, InvoiceKind.ProForma, creditOverride, ct);

    /// <summary>The pro forma, or 404 when the id is not a pro forma (an invoice is not read through the pro forma API).</summary>
    public async Task<Invoice> GetAsync(Guid id, CancellationToken ct = default)
    {
        var invoice = await invoices.GetAsync(id, ct);
        return invoice.Kind == InvoiceKind.ProForma ? invoice : throw new NotFoundException("Pro forma", id);
    }

    public Task<IReadOnlyList<InvoiceListItem>> ListAsync(Guid? partyId, InvoiceStatus? status, int skip = 0, int take = 100, CancellationToken ct = default) =>
        invoices.ListAsync(partyId, status, skip, take, ct, [InvoiceKind.ProForma]);

    public async Task<Invoice> UpdateDraftAsync(Guid id, SaveInvoiceDraft command, CancellationToken ct = default)
    {
        await GetAsync(id, ct);
        return await invoices.UpdateDraftAsync(id, command, ct);
    }

    public async Task<Invoice> IssueAsync(Guid id, CancellationToken ct = default)
    {
        await GetAsync(id, ct);
        return await invoices.IssueAsync(id, ct);
    }

    public async Task<Invoice> CancelAsync(Guid id, string? reason, CancellationToken ct = default)
    {
        await GetAsync(id, ct);
        return await invoices.CancelAsync(id, reason, ct);
    }

    /// <summary>
    /// A VAT invoice draft made of an issued pro forma: the same buyer, currency, pricing mode, payment term, notes
    /// and every line (product, description, unit, quantity, unit price, discount, VAT rate), through
    /// <see cref="InvoiceService.CreateDraftAsync(SaveInvoiceDraft, CancellationToken)"/> so every invoice rule
    /// applies; linked pro forma → invoice in the same transaction. A pro forma converts once (409 naming the
    /// invoice); a draft or cancelled pro forma is refused (409).
    /// </summary>
    public async Task<Invoice> ConvertToInvoiceAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var proForma = await db.Invoices.Include(i => i.Lines).FirstOrDefaultAsync(i => i.Id == id && i.Kind == InvoiceKind.ProForma, token)
                           ?? throw new NotFoundException("Pro forma", id);
            if (proForma.Status == InvoiceStatus.Draft)
                throw new ConflictException($"Pro forma {proForma.Id} is a draft; issue it before converting it into an invoice.");
            if (proForma.Status == InvoiceStatus.Cancelled)
                throw new ConflictException($"Pro forma {proForma.Number ?? proForma.Id.ToString()} is cancelled and cannot be converted.");
            // A conversion whose invoice draft was deleted or cancelled does not count: the pro forma converts again.
            if (await invoices.InvoiceMadeFromProFormaAsync(proForma.Id, token) is { } made)
                throw new ConflictException($"Pro forma {proForma.Number} was already converted into invoice {made.Number ?? "(draft)"} (id {made.Id}).");

            var invoice = await invoices.CreateDraftAsync(new SaveInvoiceDraft(
                proForma.PartyId, proForma.Currency, proForma.PricingMode, IssueDate: null, SaleDate: null, proForma.PaymentTermDays,
                string.IsNullOrWhiteSpace(proForma.Notes) ? $"Do faktury pro forma {proForma.Number}" : proForma.Notes,
                proForma.Lines.OrderBy(l => l.Position).Select(l => l.ToCopiedInput()).ToList(), CampaignId: proForma.CampaignId), token);
            db.DocumentLinks.Add(new DocumentLink
            {
                FromType = NumberingSeries.ProFormaDocumentType, FromId = proForma.Id,
                ToType = NumberingSeries.InvoiceDocumentType, ToId = invoice.Id,
                CreatedAt = clock.GetUtcNow(),
            });
            // Only the version changes on the issued pro forma (the immutability guard allows it): a concurrent second conversion fails on it (409).
            proForma.Version = Guid.NewGuid();
            audit.Record("proforma.converted", nameof(Invoice), proForma.Id, new { proForma.Number, invoiceId = invoice.Id });
            return invoice;
        }, ct);
}
