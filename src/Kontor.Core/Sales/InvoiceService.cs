using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Crm;
using Kontor.Events;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Sales;

/// <param name="UnitPrice">Net or gross per <see cref="SaveInvoiceDraft.PricingMode"/>; from pricing (customer, price group, product) when omitted.</param>
/// <param name="DiscountPercent">From the discount rules when omitted.</param>
public sealed record InvoiceLineInput(Guid? ProductId, string? Description, decimal Quantity, decimal? UnitPrice, decimal? DiscountPercent, string? VatRateCode, string? Unit)
{
    /// <summary>
    /// Set when the line is copied from another document (conversion, recurring run, an unchanged line in the
    /// editor): its price and discount are the agreed ones and keep their recorded sources instead of being priced again.
    /// Not part of the API: a caller cannot claim a source.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Catalog.Pricing.RecordedPricing? Recorded { get; init; }
}

public sealed record SaveInvoiceDraft(
    Guid PartyId,
    string? Currency,
    PricingMode PricingMode,
    DateOnly? IssueDate,
    DateOnly? SaleDate,
    int? PaymentTermDays,
    string? Notes,
    IReadOnlyList<InvoiceLineInput>? Lines,
    Guid? SeriesId = null,
    Guid? CampaignId = null);

/// <summary>An invoice of a batch that was not issued (nor, in a create batch, created): its index in the request, the draft's id, why.</summary>
/// <param name="Code">"credit-blocked" (credit control, docs/decisions.md "Credit control").</param>
public sealed record RefusedInvoice(int Index, Guid? InvoiceId, Guid PartyId, string Code, string Reason);

/// <summary>What a batch did: the invoices created/issued, in the order given, and those refused with the reason.</summary>
public sealed record InvoiceBatchResult(IReadOnlyList<Invoice> Invoices, IReadOnlyList<RefusedInvoice> Refused);

public sealed record InvoiceListItem(Guid Id, string? Number, InvoiceStatus Status, Guid PartyId, string PartyName, DateOnly? IssueDate, DateOnly? DueDate, string Currency, decimal TotalNet, decimal TotalVat, decimal TotalGross,
    InvoiceKind Kind = InvoiceKind.Vat);

/// <summary>Drafts, issue and reading of VAT invoices.</summary>
public sealed class InvoiceService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    VatRates vatRates,
    CompanyProfileProvider company,
    ReferenceData referenceData,
    DocumentNumbering numbering,
    DomainEventPublisher events,
    BusinessCalendar calendar,
    TimeProvider clock,
    Currencies.ExchangeRates exchangeRates,
    Catalog.Pricing.PricingService pricing,
    AdvanceInvoiceService advances,
    Crm.Credit.CreditControl creditControl)
{
    public const int MaxCancellationReasonLength = 1000;

    public const int MaxLines = 1000;
    /// <summary>Largest line value or invoice total accepted: keeps every amount inside what both databases store exactly (SQLite: ±9.2·10^12).</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    /// <param name="kind">Vat (default) or ProForma: a pro forma is drafted by the same rules and numbered in its own series.</param>
    public async Task<Invoice> CreateDraftAsync(SaveInvoiceDraft command, CancellationToken ct = default) =>
        await CreateDraftAsync(command, InvoiceKind.Vat, ct);

    /// <summary>
    /// A draft made from another document (order, offer, pro forma, recurring schedule, demo data): not credit-checked here,
    /// because the source document was checked when it was created; a VAT invoice is checked again when issued
    /// (<see cref="IssueAsync(Guid, Crm.Credit.CreditOverride?, CancellationToken)"/>). A new document from scratch goes through
    /// <see cref="CreateDraftAsync(SaveInvoiceDraft, InvoiceKind, Crm.Credit.CreditOverride?, CancellationToken)"/>.
    /// </summary>
    public async Task<Invoice> CreateDraftAsync(SaveInvoiceDraft command, InvoiceKind kind, CancellationToken ct = default) =>
        await CreateDraftAsync(command, kind, checkCredit: false, creditOverride: null, ct);

    /// <summary>A new invoice or pro forma draft from scratch (API, editor): blocked by credit control unless an entitled user approves.</summary>
    public async Task<Invoice> CreateDraftAsync(SaveInvoiceDraft command, InvoiceKind kind, Crm.Credit.CreditOverride? creditOverride, CancellationToken ct = default) =>
        await CreateDraftAsync(command, kind, checkCredit: true, creditOverride, ct);

    private async Task<Invoice> CreateDraftAsync(SaveInvoiceDraft command, InvoiceKind kind, bool checkCredit, Crm.Credit.CreditOverride? creditOverride, CancellationToken ct)
    {
        if (kind is not (InvoiceKind.Vat or InvoiceKind.ProForma))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Corrections, advance and final invoices are made by their own services.");
        var invoice = (await BuildDraftsAsync([command], prefix: null, kind, issue: false, ct))[0];
        await unitOfWork.ExecuteAsync(async token =>
        {
            if (checkCredit)
                await creditControl.EnforceAsync(kind == InvoiceKind.ProForma ? NumberingSeries.ProFormaDocumentType : NumberingSeries.InvoiceDocumentType,
                    invoice.Id, invoice.PartyId, invoice.Currency, invoice.TotalGross, creditOverride, token);
            AddDraft(invoice);
            return 0;
        }, ct);
        return invoice;
    }

    /// <summary>
    /// Builds unsaved drafts by every draft rule, the parties, products and prices of all of them read once. With a
    /// <paramref name="prefix"/> the errors of draft i are named <c>{prefix(i)}.{field}</c> and every draft is checked
    /// before any error is thrown; without one (a single draft) they keep their plain field names. Nothing is written.
    /// </summary>
    internal async Task<IReadOnlyList<Invoice>> BuildDraftsAsync(IReadOnlyList<SaveInvoiceDraft?> drafts, Func<int, string>? prefix, InvoiceKind kind, bool issue,
        CancellationToken ct)
    {
        var references = await LoadDraftReferencesAsync(drafts, ct);
        var built = new List<Invoice>(drafts.Count);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < drafts.Count; i++)
        {
            var name = prefix?.Invoke(i);
            if (drafts[i] is not { } draft)
            {
                if (name is null) throw new ValidationException("body", "An invoice is required.");
                errors[name] = [Messages.Translate("invoice is required.")];
                continue;
            }
            var invoice = new Invoice { CreatedAt = clock.GetUtcNow(), Kind = kind };
            try
            {
                await ApplyDraftAsync(invoice, draft, references, ct);
                if (issue && IssueRefusal(invoice) is { } refusal) throw new ValidationException(refusal.Field, refusal.Message);
            }
            catch (ValidationException e) when (name is not null)
            {
                foreach (var (field, messages) in e.Errors) errors[$"{name}.{field}"] = messages;
                continue;
            }
            built.Add(invoice);
        }
        if (errors.Count > 0) throw new ValidationException(errors);
        return built;
    }

    /// <summary>A built draft into the caller's unit of work, with the audit records of a draft made on its own.</summary>
    internal void AddDraft(Invoice invoice)
    {
        db.Invoices.Add(invoice);
        audit.Record("invoice.draft-created", nameof(Invoice), invoice.Id, new { kind = invoice.Kind.ToString(), invoice.PartyId, invoice.Currency, invoice.TotalGross, lines = invoice.Lines.Count });
        Catalog.Pricing.LineSources.AuditOverrides(audit, nameof(Invoice), invoice.Id, invoice.Lines);
    }

    public async Task<Invoice> UpdateDraftAsync(Guid id, SaveInvoiceDraft command, CancellationToken ct = default)
    {
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var invoice = await LoadForChangeAsync(id, token);
            if (invoice.Kind == InvoiceKind.Correction)
                throw new ConflictException("A correction draft is not edited as an invoice: delete it and create a new correction.");
            if (invoice.Kind is InvoiceKind.Advance or InvoiceKind.Final)
                throw invoice.Kind == InvoiceKind.Advance
                    ? new ConflictException("An advance invoice draft is made from its order and not edited: delete it and make it again from the order.")
                    : new ConflictException("A final invoice draft is made from its order and not edited: delete it and make it again from the order.");
            var before = new { invoice.PartyId, invoice.Currency, invoice.TotalGross, lines = invoice.Lines.Count };
            var previousLines = invoice.Lines.ToList();
            db.InvoiceLines.RemoveRange(invoice.Lines);
            db.InvoiceVatTotals.RemoveRange(invoice.VatTotals);
            invoice.Lines.Clear();
            invoice.VatTotals.Clear();
            await ApplyDraftAsync(invoice, command, await LoadDraftReferencesAsync([command], token), token);
            db.InvoiceLines.AddRange(invoice.Lines);
            db.InvoiceVatTotals.AddRange(invoice.VatTotals);
            invoice.Version = Guid.NewGuid();
            audit.Record("invoice.draft-changed", nameof(Invoice), invoice.Id, new { before, after = new { invoice.PartyId, invoice.Currency, invoice.TotalGross, lines = invoice.Lines.Count } });
            Catalog.Pricing.LineSources.AuditOverrides(audit, nameof(Invoice), invoice.Id, invoice.Lines, previousLines);
            return invoice;
        }, ct);
    }

    public async Task DeleteDraftAsync(Guid id, CancellationToken ct = default)
    {
        await unitOfWork.ExecuteAsync(async token =>
        {
            var invoice = await LoadForChangeAsync(id, token);
            db.Invoices.Remove(invoice);
            // A deleted draft never existed for the documents it came from (an order, an offer, the invoice a correction corrects).
            db.DocumentLinks.RemoveRange(await db.DocumentLinks.Where(l => l.ToId == invoice.Id).ToListAsync(token));
            await ReleaseOrdersAsync(invoice, token);
            audit.Record("invoice.draft-deleted", nameof(Invoice), invoice.Id, new { invoice.PartyId, invoice.TotalGross });
            return 0;
        }, ct);
    }

    /// <summary>
    /// A deleted or cancelled draft gives back the orders it was made from — a final draft's one order, a VAT draft's orders —
    /// so they can be invoiced again (and a shop's later "paid" does not look for an invoice that is gone).
    /// </summary>
    private async Task ReleaseOrdersAsync(Invoice invoice, CancellationToken ct)
    {
        if (invoice.Kind is not (InvoiceKind.Final or InvoiceKind.Vat)) return;
        foreach (var order in await db.Orders.Where(o => o.InvoiceId == invoice.Id).ToListAsync(ct))
        {
            order.InvoiceId = null;
            order.Version = Guid.NewGuid();
        }
    }

    /// <summary>
    /// Numbers the invoice, fixes its dates and parties' data, and lets the ledger post it — all in
    /// one transaction, so a failed posting leaves a draft and gives the number back.
    /// </summary>
    public async Task<Invoice> IssueAsync(Guid id, CancellationToken ct = default) => (await IssueAsync([id], ct))[0];

    /// <summary>
    /// <see cref="IssueAsync(Guid, CancellationToken)"/> for several drafts made from documents that were credit-checked when
    /// they were created (orders of a web shop): one transaction, numbers in the order given, no credit check at issue —
    /// unlike <see cref="IssueManyAsync"/>, the batch a person starts.
    /// </summary>
    public async Task<IReadOnlyList<Invoice>> IssueAsync(IReadOnlyList<Guid> ids, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(token => IssueDraftsAsync(ids, token), ct);

    /// <summary>
    /// Issue by a person (API, invoice page): a VAT invoice is credit-checked again at issue, the moment its debt is booked
    /// (the balance may have grown since the draft); a pro forma books nothing and was checked as a draft.
    /// </summary>
    public async Task<Invoice> IssueAsync(Guid id, Crm.Credit.CreditOverride? creditOverride, CancellationToken ct = default) =>
        (await unitOfWork.ExecuteAsync(async token =>
        {
            var draft = await db.Invoices.AsNoTracking().Where(i => i.Id == id)
                .Select(i => new { i.Kind, i.Status, i.PartyId, i.Currency, i.TotalGross }).FirstOrDefaultAsync(token);
            if (draft is { Kind: InvoiceKind.Vat, Status: InvoiceStatus.Draft })
                await creditControl.EnforceAsync(NumberingSeries.InvoiceDocumentType, id, draft.PartyId, draft.Currency, draft.TotalGross, creditOverride, token);
            return await IssueDraftsAsync([id], token);
        }, ct))[0];

    /// <summary>
    /// Withdraws a draft (any kind) or a pro forma (draft or issued, not yet converted) with a reason: the
    /// document stays, marked Cancelled, and is audited. An issued VAT, advance, final or correction invoice is
    /// a tax document and is never cancelled (409): only a correction invoice changes it (docs/decisions.md §23).
    /// </summary>
    public async Task<Invoice> CancelAsync(Guid id, string? reason, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var text = errors.Text(reason, "reason", MaxCancellationReasonLength);
        errors.ThrowIfAny();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var invoice = await db.Invoices.Include(i => i.Lines).Include(i => i.VatTotals).AsSplitQuery().FirstOrDefaultAsync(i => i.Id == id, token)
                          ?? throw new NotFoundException("Invoice", id);
            var name = invoice.Number ?? invoice.Id.ToString();
            if (invoice.Status == InvoiceStatus.Cancelled)
                throw new ConflictException($"{KindName(invoice.Kind)} {name} is already cancelled.");
            if (invoice.Status == InvoiceStatus.Issued && invoice.Kind != InvoiceKind.ProForma)
                throw new ConflictException($"{KindName(invoice.Kind)} {name} is issued: an issued tax document is never cancelled; issue a correction invoice instead.");
            if (invoice.Kind == InvoiceKind.ProForma && await InvoiceMadeFromProFormaAsync(invoice.Id, token) is { } made)
                throw new ConflictException($"Pro forma {name} was converted into invoice {made.Number ?? Messages.Translate("(draft)")} (id {made.Id}); it can no longer be cancelled.");
            var before = invoice.Status;
            invoice.Status = InvoiceStatus.Cancelled;
            invoice.CancellationReason = text;
            invoice.CancelledAt = clock.GetUtcNow();
            invoice.Version = Guid.NewGuid();
            await ReleaseOrdersAsync(invoice, token);
            audit.Record("invoice.cancelled", nameof(Invoice), invoice.Id, new { kind = invoice.Kind.ToString(), invoice.Number, from = before.ToString(), reason = text });
            return invoice;
        }, ct);
    }

    /// <summary>
    /// The VAT invoice a pro forma was converted into, unless that invoice was cancelled or its draft deleted
    /// (then the pro forma may be converted again).
    /// </summary>
    public async Task<(Guid Id, string? Number)?> InvoiceMadeFromProFormaAsync(Guid proFormaId, CancellationToken ct)
    {
        var made = await db.DocumentLinks.AsNoTracking()
            .Where(l => l.FromId == proFormaId && l.ToType == NumberingSeries.InvoiceDocumentType)
            .Join(db.Invoices, l => l.ToId, i => i.Id, (l, i) => new { i.Id, i.Number, i.Status })
            .Where(i => i.Status != InvoiceStatus.Cancelled)
            .FirstOrDefaultAsync(ct);
        return made is null ? null : (made.Id, made.Number);
    }

    /// <summary>The kind as a message names it, in the reader's language.</summary>
    public static string KindName(InvoiceKind kind) => kind switch
    {
        InvoiceKind.ProForma => Messages.Translate("Pro forma"),
        InvoiceKind.Correction => Messages.Translate("Correction"),
        InvoiceKind.Advance => Messages.Translate("Advance invoice"),
        InvoiceKind.Final => Messages.Translate("Final invoice"),
        _ => Messages.Translate("Invoice"),
    };

    /// <summary>
    /// Most invoices <see cref="IssueManyAsync"/> and <see cref="CreateManyAsync"/> take at once: the
    /// transaction (and SQLite's single writer) is held for all of them.
    /// </summary>
    public const int MaxIssueBatch = 500;

    /// <summary>
    /// Issues several drafts in one transaction, numbered in the order given (one counter update per
    /// series and period hands out the range). Each invoice gets exactly what <see cref="IssueAsync"/>
    /// gives it — number, dates, snapshots, audit record, journal entry, open item — and one refusal
    /// (not found, already issued, no lines, ...) issues none of them. Credit control is asked for every
    /// VAT invoice as at a single issue (a party's invoices of the batch count together, in the order given):
    /// a blocked party's drafts stay drafts and are listed in <see cref="InvoiceBatchResult.Refused"/> with
    /// the reason; the others are issued. A batch has no override — approve and issue a blocked one on its own.
    /// </summary>
    public async Task<InvoiceBatchResult> IssueManyAsync(IReadOnlyList<Guid> ids, CancellationToken ct = default)
    {
        if (ids is null || ids.Count == 0) throw new ValidationException("ids", "Give at least one invoice to issue.");
        if (ids.Count > MaxIssueBatch) throw new ValidationException("ids", $"At most {MaxIssueBatch} invoices can be issued at once.");
        if (ids.Distinct().Count() != ids.Count) throw new ValidationException("ids", "An invoice appears twice.");
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var drafts = await db.Invoices.AsNoTracking().Where(i => ids.Contains(i.Id))
                .Select(i => new { i.Id, i.Kind, i.Status, i.PartyId, i.Currency, i.TotalGross }).ToDictionaryAsync(i => i.Id, token);
            // Only drafts that would be issued are checked; anything else is refused below by IssueDraftsAsync as before.
            var candidates = ids.Select((id, index) => (id, index)).Where(x => drafts.TryGetValue(x.id, out var d) && d is { Kind: InvoiceKind.Vat, Status: InvoiceStatus.Draft })
                .Select(x => new CreditCandidate(x.index, x.id, drafts[x.id].PartyId, drafts[x.id].Currency, drafts[x.id].TotalGross)).ToList();
            var refused = await CreditRefusalsAsync(candidates, token);
            var refusedIds = refused.Select(r => r.InvoiceId).ToHashSet();
            var toIssue = ids.Where(id => !refusedIds.Contains(id)).ToList();
            var issued = toIssue.Count == 0 ? [] : await IssueDraftsAsync(toIssue, token, batch: true);
            return new InvoiceBatchResult(issued, refused);
        }, ct);
    }

    private sealed record CreditCandidate(int Index, Guid? InvoiceId, Guid PartyId, string Currency, decimal Gross);

    /// <summary>
    /// Credit control over a batch, in the order given: each invoice is checked with the party's earlier accepted invoices of
    /// the batch (same currency) added to it, since they become debt in the same transaction; a refused one adds nothing.
    /// </summary>
    private async Task<List<RefusedInvoice>> CreditRefusalsAsync(IReadOnlyList<CreditCandidate> candidates, CancellationToken token)
    {
        var refused = new List<RefusedInvoice>();
        var decisions = await creditControl.CheckInOrderAsync([.. candidates.Select(c => new Crm.Credit.CreditRequest(c.PartyId, c.Currency, c.Gross))], earlierAddUp: true, token);
        foreach (var (c, decision) in candidates.Zip(decisions))
        {
            if (decision.Blocked)
            {
                refused.Add(new RefusedInvoice(c.Index, c.InvoiceId, c.PartyId, Crm.Credit.CreditBlockedException.Code, decision.Message));
                // Recorded against the party: a refused invoice of a create batch never exists.
                audit.Record("invoice.batch-credit-blocked", nameof(Crm.Party), c.PartyId, new
                {
                    index = c.Index, invoiceId = c.InvoiceId, c.Currency, gross = c.Gross, reasons = decision.Reasons.Select(r => r.ToString()).ToList(), decision.Message,
                });
            }
        }
        return refused;
    }

    /// <summary>
    /// Creates several invoices in one transaction and, with <paramref name="issue"/>, issues them in it
    /// too (numbers handed out as one range per series and period): the path for integrators and imports.
    /// Every draft is validated first, with the same rules as <see cref="CreateDraftAsync"/> (and, when
    /// issuing, <see cref="IssueAsync"/>); errors name the draft, e.g. <c>invoices[3].lines[0].quantity</c>,
    /// and if any draft is refused nothing is written. Each invoice gets the same audit records, journal
    /// entry and open item as when created and issued one at a time. Returned in the order given.
    /// Credit control applies as to a draft made on its own: a blocked party's invoice is neither created nor issued and is
    /// listed in <see cref="InvoiceBatchResult.Refused"/> (index in the request, reason); the others go through.
    /// </summary>
    public async Task<InvoiceBatchResult> CreateManyAsync(IReadOnlyList<SaveInvoiceDraft> drafts, bool issue, CancellationToken ct = default)
    {
        if (drafts is null || drafts.Count == 0) throw new ValidationException("invoices", "Give at least one invoice.");
        if (drafts.Count > MaxIssueBatch) throw new ValidationException("invoices", $"At most {MaxIssueBatch} invoices can be sent at once.");

        // Validation reads the parties and products of all drafts in two queries, outside the transaction.
        var invoices = await BuildDraftsAsync(drafts, i => $"invoices[{i}]", InvoiceKind.Vat, issue, ct);

        return await unitOfWork.ExecuteAsync(async token =>
        {
            var refused = await CreditRefusalsAsync(
                [.. invoices.Select((invoice, index) => new CreditCandidate(index, null, invoice.PartyId, invoice.Currency, invoice.TotalGross))], token);
            var refusedIndexes = refused.Select(r => r.Index).ToHashSet();
            var accepted = invoices.Where((_, index) => !refusedIndexes.Contains(index)).ToList();
            foreach (var invoice in accepted)
            {
                db.Invoices.Add(invoice);
                audit.Record("invoice.draft-created", nameof(Invoice), invoice.Id, new { invoice.PartyId, invoice.Currency, invoice.TotalGross, lines = invoice.Lines.Count });
                Catalog.Pricing.LineSources.AuditOverrides(audit, nameof(Invoice), invoice.Id, invoice.Lines);
            }
            return new InvoiceBatchResult(issue && accepted.Count > 0 ? await IssueInvoicesAsync(accepted, token) : accepted, refused);
        }, ct);
    }

    /// <summary>Loads the drafts (tracked, with lines and VAT totals: callers return them) and issues them.</summary>
    private async Task<IReadOnlyList<Invoice>> IssueDraftsAsync(IReadOnlyList<Guid> ids, CancellationToken token, bool batch = false)
    {
        var loaded = await db.Invoices.Include(i => i.Lines).Include(i => i.VatTotals).Include(i => i.AdvanceDeductions).AsSingleQuery()
            .Where(i => ids.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, token);
        var drafts = new List<Invoice>(ids.Count);
        foreach (var id in ids)
        {
            if (!loaded.TryGetValue(id, out var invoice)) throw new NotFoundException("Invoice", id);
            if (invoice.Status == InvoiceStatus.Cancelled)
                throw new ConflictException($"{KindName(invoice.Kind)} {invoice.Id} is cancelled and cannot be issued.");
            // Batch issue is for tax documents: a pro forma is issued on its own (it is no invoice and posts nothing).
            if (batch && invoice.Kind == InvoiceKind.ProForma)
                throw new ConflictException($"{invoice.Id} is a pro forma, not an invoice; issue it with POST /api/proformas/{invoice.Id}/issue.");
            if (invoice.Status == InvoiceStatus.Issued && invoice.Kind == InvoiceKind.ProForma)
                throw new ConflictException($"Pro forma {invoice.Number} is already issued.");
            if (invoice.Status != InvoiceStatus.Draft)
                throw new ConflictException($"Invoice {invoice.Number} is issued and cannot be changed or deleted; issue a correction invoice instead.");
            drafts.Add(invoice);
        }
        return await IssueInvoicesAsync(drafts, token);
    }

    /// <summary>Why a draft cannot be issued as it stands, or null.</summary>
    private static (string Field, string Message)? IssueRefusal(Invoice invoice) =>
        invoice.Lines.Count == 0 ? ("lines", Messages.Translate("An invoice needs at least one line before it can be issued."))
        : (invoice.Kind is InvoiceKind.Vat or InvoiceKind.ProForma) && invoice.TotalGross <= 0 ? ("lines", Messages.Translate("The invoice total must be greater than zero; use a correction invoice to reduce an amount."))
        : null;

    /// <summary>
    /// The one issue path (single, many, create-and-issue): numbers tracked drafts inside the caller's
    /// transaction, fixes dates and snapshots, audits, and lets the ledger post each.
    /// </summary>
    private async Task<IReadOnlyList<Invoice>> IssueInvoicesAsync(IReadOnlyList<Invoice> drafts, CancellationToken token)
    {
        foreach (var invoice in drafts)
            if (IssueRefusal(invoice) is { } refusal) throw new ValidationException(refusal.Field, refusal.Message);

        // The buyers as they are now, inside the transaction: the snapshot is what the invoice says for good.
        var partyIds = drafts.Select(i => i.PartyId).Distinct().ToList();
        var parties = await db.Parties.AsNoTracking().Where(p => partyIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, token);
        var reference = await referenceData.GetAsync(token);

        var toIssue = new List<(Invoice Invoice, Party Party, NumberingSeries Series, DateOnly IssueDate)>(drafts.Count);
        foreach (var invoice in drafts)
        {
            var party = parties.GetValueOrDefault(invoice.PartyId) ?? throw new ValidationException("partyId", "The buyer no longer exists.");
            var series = reference.NumberingSeries.FirstOrDefault(s => s.Id == invoice.SeriesId)
                         ?? await db.NumberingSeries.AsNoTracking().FirstOrDefaultAsync(s => s.Id == invoice.SeriesId, token)
                         ?? throw new InvalidOperationException($"Numbering series {invoice.SeriesId} of invoice {invoice.Id} does not exist.");
            var issueDate = invoice.IssueDate ?? calendar.Today();
            if (invoice.Kind == InvoiceKind.Correction && issueDate < invoice.CorrectedInvoiceIssueDate)
                throw new ValidationException("issueDate", $"A correction cannot be issued before the document it corrects ({invoice.CorrectedInvoiceIssueDate:yyyy-MM-dd}).");
            toIssue.Add((invoice, party, series, issueDate));
        }
        var seller = reference.Company ?? await company.GetAsync(token);
        // Before numbering, so a missing rate refuses the batch without touching a counter (the transaction gives it back anyway).
        foreach (var (invoice, _, _, issueDate) in toIssue)
            await ApplyVatInBaseCurrencyAsync(invoice, seller, invoice.SaleDate ?? issueDate, token);
        foreach (var (invoice, _, _, issueDate) in toIssue)
            if (invoice.Kind == InvoiceKind.Advance && invoice.SaleDate > issueDate)
                throw new ValidationException("issueDate", $"An advance invoice cannot be issued before the advance was received ({invoice.SaleDate:yyyy-MM-dd}).");

        // Numbers in the order given: one range per (series, period).
        var numbers = new Dictionary<Guid, string>(toIssue.Count);
        foreach (var group in toIssue.GroupBy(x => (x.Series.Id, Period: x.Series.PeriodKey(x.IssueDate))))
        {
            var batch = group.ToList();
            var assigned = await numbering.NextRangeAsync(batch[0].Series, batch.Select(x => x.IssueDate).ToList(), token);
            for (var k = 0; k < batch.Count; k++) numbers[batch[k].Invoice.Id] = assigned[k];
        }
        // After numbering: the counter row is locked until commit, so two corrections of one document issued at once queue here.
        await RefuseStaleCorrectionsAsync(drafts, token);
        // Likewise for advance and final invoices: they share the VAT series counter, so issuers of one order queue here.
        await advances.CheckBeforeIssueAsync(drafts, token);

        var issuedAt = clock.GetUtcNow();
        foreach (var (invoice, party, _, issueDate) in toIssue)
        {
            invoice.IssueDate = issueDate;
            invoice.SaleDate ??= issueDate;
            invoice.DueDate = issueDate.AddDays(invoice.PaymentTermDays ?? party.PaymentTermDays);
            invoice.Number = numbers[invoice.Id];
            invoice.Status = InvoiceStatus.Issued;
            invoice.IssuedAt = issuedAt;
            invoice.Seller = new PartySnapshot
            {
                Name = seller.Name, TaxId = seller.TaxId, Street = seller.Street, PostalCode = seller.PostalCode,
                City = seller.City, CountryCode = seller.CountryCode, BankAccount = reference.BankAccountFor(invoice.Currency)?.Iban,
            };
            invoice.Buyer = new PartySnapshot
            {
                Name = party.Name, TaxId = party.TaxId, Street = party.Address.Street, PostalCode = party.Address.PostalCode,
                City = party.Address.City, CountryCode = party.Address.CountryCode,
            };
            invoice.BuyerIsConsumer = IsConsumer(party);
            invoice.Version = Guid.NewGuid();
            audit.Record("invoice.issued", nameof(Invoice), invoice.Id, new { kind = invoice.Kind.ToString(), invoice.Number, invoice.IssueDate, invoice.DueDate, invoice.TotalNet, invoice.TotalVat, invoice.TotalGross, invoice.Currency });
            // A pro forma is not a tax document: numbered, but nothing is posted and no open item is made.
            if (!invoice.IsTaxDocument) continue;
            await events.PublishAsync(new InvoiceIssued(invoice.Id, invoice.Number, invoice.PartyId, issueDate, invoice.DueDate.Value,
                invoice.Currency, invoice.TotalNet, invoice.TotalVat, invoice.TotalGross, invoice.CorrectedInvoiceId, invoice.OriginalInvoiceId,
                invoice.ExchangeRate is { } rate ? new Ledger.BookRate(rate, invoice.ExchangeRateTable, invoice.ExchangeRateDate) : null,
                invoice.VatInBaseCurrency, invoice.Kind, invoice.AdvancesNet), token);
        }
        return toIssue.Select(x => x.Invoice).ToList();
    }

    /// <summary>
    /// Art. 106e ust. 11 / art. 31a ustawy o VAT: a Polish seller's invoice in a foreign currency states its VAT in PLN
    /// at the NBP table-A rate of the last business day before the tax point (the sale date, else the issue date).
    /// Per rate VAT_PLN = round(VAT × rate) to the grosz, half away from zero; the total is the sum of the rates'.
    /// A correction already carries the corrected invoice's rate and its converted differences (CorrectionService).
    /// </summary>
    private async Task ApplyVatInBaseCurrencyAsync(Invoice invoice, CompanyProfile seller, DateOnly taxPoint, CancellationToken token)
    {
        if (invoice.Kind == InvoiceKind.Correction) return;
        // A pro forma is no tax document: no tax point, no VAT in PLN.
        if (invoice.Kind == InvoiceKind.ProForma) return;
        invoice.ExchangeRate = null;
        invoice.ExchangeRateTable = null;
        invoice.ExchangeRateDate = null;
        invoice.VatInBaseCurrency = null;
        foreach (var total in invoice.VatTotals) total.VatInBaseCurrency = null;
        if (seller.CountryCode != "PL" || string.Equals(invoice.Currency, seller.BaseCurrency, StringComparison.OrdinalIgnoreCase)) return;

        Currencies.AppliedRate rate;
        try
        {
            rate = await exchangeRates.ForTaxPointAsync(invoice.Currency, taxPoint, Currencies.RateSource.Nbp, token);
        }
        catch (NotFoundException)
        {
            throw new ValidationException(invoice.SaleDate is null ? "issueDate" : "saleDate",
                $"No NBP rate for {invoice.Currency} before {taxPoint:yyyy-MM-dd} (searched the {Currencies.ExchangeRates.MaxLookbackDays} days before the tax point); import table A, then issue again.");
        }
        invoice.ExchangeRate = rate.Rate;
        invoice.ExchangeRateTable = rate.TableNumber;
        invoice.ExchangeRateDate = rate.EffectiveDate;
        foreach (var total in invoice.VatTotals) total.VatInBaseCurrency = rate.ToBase(total.Vat);
        invoice.VatInBaseCurrency = invoice.VatTotals.Sum(v => v.VatInBaseCurrency!.Value);
    }

    /// <summary>
    /// A correction's "before" is the corrected document as the latest state of the invoice. If another
    /// correction of that document was issued since the draft was made, the draft's before is stale.
    /// </summary>
    private async Task RefuseStaleCorrectionsAsync(IReadOnlyList<Invoice> drafts, CancellationToken token)
    {
        var corrections = drafts.Where(i => i.Kind == InvoiceKind.Correction).ToList();
        if (corrections.Count == 0) return;
        var correctedIds = corrections.Select(i => i.CorrectedInvoiceId!.Value).ToList();
        if (correctedIds.Distinct().Count() != correctedIds.Count)
            throw new ConflictException("Two corrections of the same document cannot be issued together; issue one and correct it again.");
        if (db.Database.IsNpgsql())
        {
            // Two corrections of one invoice in different months take different counter rows, so nothing else orders
            // them: lock the chain's original invoice until commit. The second issuer waits here, and the query below,
            // a new statement under READ COMMITTED, then sees the first one's correction. (SQLite's write gate already
            // serialises issuers.) Sorted ids keep two batches from locking in opposite orders.
            var originals = corrections.Select(i => i.OriginalInvoiceId!.Value).Distinct().Order().ToArray();
            await db.Database.SqlQuery<Guid>(
                    $"""SELECT "Id" AS "Value" FROM "Invoices" WHERE "Id" = ANY({originals}) ORDER BY "Id" FOR UPDATE""")
                .ToListAsync(token);
        }
        var ids = corrections.Select(i => i.Id).ToList();
        var later = await db.Invoices.AsNoTracking()
            .Where(i => i.CorrectedInvoiceId != null && correctedIds.Contains(i.CorrectedInvoiceId.Value) && i.Status == InvoiceStatus.Issued && !ids.Contains(i.Id))
            .Select(i => new { i.CorrectedInvoiceNumber, i.Number }).FirstOrDefaultAsync(token);
        if (later is not null)
            throw new ConflictException($"{later.CorrectedInvoiceNumber} was already corrected by {later.Number}; delete this draft and correct {later.Number} instead.");
    }

    public async Task<Invoice> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Invoices.AsNoTracking().Include(i => i.Lines.OrderBy(l => l.Position)).Include(i => i.VatTotals).Include(i => i.AdvanceDeductions).AsSplitQuery()
            .FirstOrDefaultAsync(i => i.Id == id, ct) ?? throw new NotFoundException("Invoice", id);

    /// <summary>
    /// Invoices newest first. <paramref name="kinds"/> null means every tax document (VAT, correction, advance,
    /// final) and no pro formas: a pro forma is listed only when asked for.
    /// </summary>
    public async Task<IReadOnlyList<InvoiceListItem>> ListAsync(Guid? partyId, InvoiceStatus? status, int skip = 0, int take = 100, CancellationToken ct = default,
        IReadOnlyCollection<InvoiceKind>? kinds = null)
    {
        var query = db.Invoices.AsNoTracking();
        if (kinds is { Count: > 0 }) query = query.Where(i => kinds.Contains(i.Kind));
        else query = query.Where(i => i.Kind != InvoiceKind.ProForma);
        if (partyId is not null) query = query.Where(i => i.PartyId == partyId);
        if (status is not null) query = query.Where(i => i.Status == status);
        return await query
            .OrderByDescending(i => i.CreatedAt)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Join(db.Parties, i => i.PartyId, p => p.Id, (i, p) => new InvoiceListItem(i.Id, i.Number, i.Status, i.PartyId, p.Name, i.IssueDate, i.DueDate, i.Currency, i.TotalNet, i.TotalVat, i.TotalGross, i.Kind))
            .ToListAsync(ct);
    }

    /// <summary>Totals of an unsaved draft, for live feedback while a person types the lines.</summary>
    public async Task<InvoiceTotals> PreviewAsync(SaveInvoiceDraft command, CancellationToken ct = default) =>
        await PreviewAsync(command, InvoiceKind.Vat, ct);

    /// <summary>Totals of an unsaved draft of <paramref name="kind"/> (Vat or ProForma: the series named must be of that kind).</summary>
    public async Task<InvoiceTotals> PreviewAsync(SaveInvoiceDraft command, InvoiceKind kind, CancellationToken ct = default)
    {
        var invoice = new Invoice { Kind = kind };
        await ApplyDraftAsync(invoice, command, await LoadDraftReferencesAsync([command], ct), ct);
        return new InvoiceTotals(
            invoice.Lines.Select(l => new CalculatedLine(l.Net, l.Vat, l.Gross)).ToList(),
            invoice.VatTotals.Select(v => new VatRateTotal(v.VatRateCode, v.VatKind, v.VatPercent, v.Net, v.Vat, v.Gross)).ToList(),
            invoice.TotalNet, invoice.TotalVat, invoice.TotalGross);
    }

    /// <summary>
    /// A draft built by every rule of <see cref="CreateDraftAsync"/> (lines resolved from products, VAT rates
    /// resolved, totals by <see cref="InvoiceCalculator"/>) but not saved: the shared line validation for
    /// documents that carry invoice lines (offers). Errors name fields as for an invoice, e.g. <c>lines[0].quantity</c>.
    /// </summary>
    public async Task<Invoice> BuildUnsavedDraftAsync(SaveInvoiceDraft command, CancellationToken ct = default) =>
        (await BuildUnsavedDraftsAsync([command], null, ct))[0];

    /// <summary>
    /// <see cref="BuildUnsavedDraftAsync"/> for several drafts at once, with their parties, products and prices read in a
    /// fixed number of queries for the whole list (<see cref="LoadDraftReferencesAsync"/>). Every draft is validated; errors of
    /// all of them are thrown together, named <c>{itemField}[i].lines[0].quantity</c> (unprefixed when
    /// <paramref name="itemField"/> is null: the one-draft call). Returned in the order given.
    /// </summary>
    public async Task<IReadOnlyList<Invoice>> BuildUnsavedDraftsAsync(IReadOnlyList<SaveInvoiceDraft> commands, string? itemField, CancellationToken ct = default)
    {
        var references = await LoadDraftReferencesAsync(commands, ct);
        var built = new List<Invoice>(commands.Count);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < commands.Count; i++)
        {
            var invoice = new Invoice();
            try
            {
                await ApplyDraftAsync(invoice, commands[i], references, ct);
            }
            catch (ValidationException e) when (itemField is not null)
            {
                foreach (var (field, messages) in e.Errors) errors[$"{itemField}[{i}].{field}"] = messages;
            }
            built.Add(invoice);
        }
        if (errors.Count > 0) throw new ValidationException(errors);
        return built;
    }

    private async Task<Invoice> LoadForChangeAsync(Guid id, CancellationToken ct)
    {
        var invoice = await db.Invoices.Include(i => i.Lines).Include(i => i.VatTotals).AsSplitQuery().FirstOrDefaultAsync(i => i.Id == id, ct)
                      ?? throw new NotFoundException("Invoice", id);
        if (invoice.Status == InvoiceStatus.Cancelled)
            throw new ConflictException($"{KindName(invoice.Kind)} {invoice.Number ?? invoice.Id.ToString()} is cancelled and cannot be changed or deleted.");
        if (invoice.Status != InvoiceStatus.Draft)
            throw invoice.Kind == InvoiceKind.ProForma
                ? new ConflictException($"Pro forma {invoice.Number} is issued and cannot be changed or deleted; cancel it instead.")
                : new ConflictException($"Invoice {invoice.Number} is issued and cannot be changed or deleted; issue a correction invoice instead.");
        return invoice;
    }

    /// <summary>The parties that exist and the products named by a set of drafts, read in one query each, and what prices their lines.</summary>
    private sealed record DraftReferences(HashSet<Guid> ExistingParties, Dictionary<Guid, Product> Products, Catalog.Pricing.PriceBook Prices, HashSet<Guid> ExistingCampaigns);

    private async Task<DraftReferences> LoadDraftReferencesAsync(IReadOnlyList<SaveInvoiceDraft?> drafts, CancellationToken ct)
    {
        var partyIds = drafts.Where(d => d is not null).Select(d => d!.PartyId).Distinct().ToList();
        var campaignIds = drafts.Where(d => d?.CampaignId is not null).Select(d => d!.CampaignId!.Value).Distinct().ToList();
        // Drafts over the line limit are refused without looking at their lines.
        var draftLines = drafts.Where(d => d?.Lines is { Count: <= MaxLines }).SelectMany(d => d!.Lines!).ToList();
        var productIds = draftLines.Where(l => l?.ProductId is not null).Select(l => l!.ProductId!.Value).Distinct().ToList();
        // Pricing is read only for the lines that need it: a line copied from another document (an order's, an
        // offer's) carries its price, discount and their sources, and is not priced again.
        var pricedProductIds = draftLines.Where(l => l?.ProductId is not null && !CarriesPricing(l)).Select(l => l!.ProductId!.Value).Distinct().ToList();
        var parties = new HashSet<Guid>();
        var products = new Dictionary<Guid, Product>();
        // In chunks: a batch may name thousands of products, more than a statement takes parameters.
        foreach (var chunk in partyIds.Chunk(500))
            parties.UnionWith(await db.Parties.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct));
        foreach (var chunk in productIds.Chunk(500))
            foreach (var product in await db.Products.AsNoTracking().Where(p => chunk.Contains(p.Id)).ToListAsync(ct))
                products[product.Id] = product;
        var campaigns = new HashSet<Guid>();
        foreach (var chunk in campaignIds.Chunk(500))
            campaigns.UnionWith(await db.Campaigns.AsNoTracking().Where(x => chunk.Contains(x.Id)).Select(x => x.Id).ToListAsync(ct));
        return new DraftReferences(parties, products, await pricing.LoadAsync(parties, pricedProductIds.Where(products.ContainsKey).ToList(), ct), campaigns);
    }

    /// <summary>A line copied from another document with its price, discount and their sources: nothing to price.</summary>
    private static bool CarriesPricing(InvoiceLineInput? line) =>
        line is { Recorded: not null, UnitPrice: not null, DiscountPercent: not null };

    private async Task ApplyDraftAsync(Invoice invoice, SaveInvoiceDraft c, DraftReferences references, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var currency = errors.Try(() => Currency.Parse(c.Currency ?? "PLN"));
        errors.Require(Enum.IsDefined(c.PricingMode), "pricingMode", "pricingMode must be Net or Gross.");
        errors.Require(c.PaymentTermDays is null or >= 0 and <= 365, "paymentTermDays", "paymentTermDays must be between 0 and 365.");
        errors.Require(c.SaleDate is null || c.IssueDate is null || c.SaleDate <= c.IssueDate.Value.AddDays(60) , "saleDate", "saleDate is too far after the issue date.");
        var notes = errors.Text(c.Notes, "notes", 2000, required: false);
        var lines = c.Lines ?? [];
        errors.Require(references.ExistingParties.Contains(c.PartyId), "partyId", $"Party {c.PartyId} does not exist.");
        if (c.CampaignId is { } campaignId && !references.ExistingCampaigns.Contains(campaignId))
            errors.Add("campaignId", $"Campaign {campaignId} does not exist.");
        invoice.CampaignId = c.CampaignId;
        if (lines.Count > MaxLines)
        {
            errors.Add("lines", $"An invoice has at most {MaxLines} lines.");
            errors.ThrowIfAny();
        }
        var series = await SeriesAsync(c.SeriesId, invoice.Kind, errors, ct);
        var profile = await company.GetAsync(ct);
        var taxPointDate = c.SaleDate ?? c.IssueDate ?? calendar.Today();
        var products = references.Products;

        var built = new List<InvoiceLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var input = lines[i];
            var field = $"lines[{i}].";
            if (input is null) { errors.Add($"lines[{i}]", "line is required."); continue; }
            Product? product = null;
            if (input.ProductId is not null && !products.TryGetValue(input.ProductId.Value, out product))
                errors.Add(field + "productId", $"Product {input.ProductId} does not exist.");
            var description = errors.Text(input.Description ?? product?.Name, field + "description", 500);
            var unit = errors.Text(input.Unit ?? product?.Unit ?? "szt.", field + "unit", 20);
            errors.Require(input.Quantity != 0, field + "quantity", "quantity cannot be zero.");
            errors.Require(Math.Abs(input.Quantity) < 1_000_000_000m && decimal.Round(input.Quantity, 4) == input.Quantity, field + "quantity", "quantity has at most 4 decimal places and fewer than 10 integer digits.");
            var rate = await errors.TryAsync(() => vatRates.ResolveAsync(profile.CountryCode, input.VatRateCode ?? product?.VatRateCode ?? profile.DefaultVatRateCode, taxPointDate, field + "vatRateCode", ct));
            // Pricing (docs/decisions.md, "Pricing"): customer price, price group, list price; best discount rule.
            var automatic = product is null || currency.Code is null || CarriesPricing(input) ? null
                : references.Prices.Price(c.PartyId, Catalog.Pricing.PricingProduct.Of(product), input.Quantity, currency.Code, taxPointDate);
            decimal? automaticUnitPrice = automatic?.UnitPrice is not { } net || rate is null ? null
                : c.PricingMode == PricingMode.Gross ? decimal.Round(net * (100 + rate.Percent) / 100, 2, MidpointRounding.AwayFromZero) : net;
            var discount = input.DiscountPercent ?? automatic?.DiscountPercent ?? 0;
            errors.Require(discount is >= 0 and <= 100, field + "discountPercent", "discountPercent must be between 0 and 100.");
            decimal? unitPrice = input.UnitPrice ?? automaticUnitPrice;
            if (input.UnitPrice is null && product is not null && rate is not null && automaticUnitPrice is null && currency.Code is not null)
                errors.Add(field + "unitPrice", $"The product is priced in {product.Currency} and has no price in {currency.Code} for this customer; give a unitPrice in {currency.Code}.");
            errors.Require(unitPrice is not null || product is not null, field + "unitPrice", "unitPrice is required for a line without a product.");
            errors.Require(unitPrice is null || (Math.Abs(unitPrice.Value) < 1_000_000_000_000m && decimal.Round(unitPrice.Value, 4) == unitPrice.Value), field + "unitPrice", "unitPrice has at most 4 decimal places.");
            errors.Require(unitPrice is null || Math.Abs(input.Quantity * unitPrice.Value) < MaxAmount, $"lines[{i}]", $"quantity × unitPrice must stay below {MaxAmount:#,0}.");
            if (rate is null || unitPrice is null || description is null) continue;
            var line = new InvoiceLine
            {
                InvoiceId = invoice.Id,
                Position = i + 1,
                ProductId = product?.Id,
                Description = description,
                Unit = unit ?? "szt.",
                Quantity = input.Quantity,
                UnitPrice = unitPrice.Value,
                DiscountPercent = discount,
                VatRateCode = rate.Code,
                VatKind = rate.Kind,
                VatPercent = rate.Percent,
            };
            Catalog.Pricing.LineSources.Decide(line, input.Recorded, automatic, automaticUnitPrice);
            built.Add(line);
        }
        errors.ThrowIfAny();

        var totals = InvoiceCalculator.Calculate(
            built.Select(l => new CalculationLine(l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRateCode, l.VatKind, l.VatPercent)).ToList(),
            c.PricingMode, currency);
        if (Math.Abs(totals.Gross) >= MaxAmount || Math.Abs(totals.Net) >= MaxAmount)
            throw new ValidationException("lines", $"The invoice total must stay below {MaxAmount:#,0}.");
        for (var i = 0; i < built.Count; i++)
        {
            built[i].Net = totals.Lines[i].Net;
            built[i].Vat = totals.Lines[i].Vat;
            built[i].Gross = totals.Lines[i].Gross;
        }

        invoice.PartyId = c.PartyId;
        invoice.SeriesId = series!.Id;
        invoice.Currency = currency.Code!;
        invoice.PricingMode = c.PricingMode;
        invoice.IssueDate = c.IssueDate;
        invoice.SaleDate = c.SaleDate;
        invoice.PaymentTermDays = c.PaymentTermDays;
        invoice.Notes = notes;
        invoice.Lines.AddRange(built);
        invoice.VatTotals.AddRange(totals.ByRate.Select(r => new InvoiceVatTotal
        {
            InvoiceId = invoice.Id, VatRateCode = r.VatRateCode, VatKind = r.VatKind, VatPercent = r.VatPercent, Net = r.Net, Vat = r.Vat, Gross = r.Gross,
        }));
        invoice.TotalNet = totals.Net;
        invoice.TotalVat = totals.Vat;
        invoice.TotalGross = totals.Gross;
    }

    /// <summary>The series the draft names, or the default series of its kind (invoice, or proforma) when it names none.</summary>
    private async Task<NumberingSeries?> SeriesAsync(Guid? seriesId, InvoiceKind kind, ValidationErrors errors, CancellationToken ct)
    {
        var reference = await referenceData.GetAsync(ct);
        var documentType = NumberingSeries.DocumentTypeOf(kind);
        if (seriesId is null)
            return (documentType == NumberingSeries.InvoiceDocumentType
                       ? reference.DefaultInvoiceSeries
                       : reference.NumberingSeries.FirstOrDefault(s => s.DocumentType == documentType && s.IsDefault)
                         ?? await db.NumberingSeries.AsNoTracking().FirstOrDefaultAsync(s => s.DocumentType == documentType && s.IsDefault, ct))
                   ?? throw new InvalidOperationException($"No default {documentType} numbering series; the database was not initialised.");
        // A series created on another node may not be in this node's snapshot yet: ask the database.
        var series = reference.NumberingSeries.FirstOrDefault(s => s.Id == seriesId)
                     ?? await db.NumberingSeries.AsNoTracking().FirstOrDefaultAsync(s => s.Id == seriesId, ct);
        if (series is null || series.DocumentType != documentType)
        {
            // DocumentTypeOf gives one of these three; each is its own sentence, so it is translated whole.
            if (documentType == NumberingSeries.ProFormaDocumentType) errors.Add("seriesId", $"{seriesId} is not a proforma numbering series.");
            else if (documentType == NumberingSeries.CorrectionDocumentType) errors.Add("seriesId", $"{seriesId} is not a correction numbering series.");
            else errors.Add("seriesId", $"{seriesId} is not an invoice numbering series.");
            return null;
        }
        return series;
    }

    /// <summary>A person without a tax id buys as a consumer (a company or anyone with a NIP/VAT id buys as a business).</summary>
    public static bool IsConsumer(Crm.Party party) => party.Kind == Crm.PartyKind.Person && string.IsNullOrWhiteSpace(party.TaxId);
}
