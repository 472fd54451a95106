using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Complaints;

/// <summary>A line of the complained invoice (its position) and how much of it is complained about.</summary>
public sealed record ComplaintLineInput(int? Position, decimal? Quantity);

/// <param name="PartyId">May be left out when an invoice or order names the buyer.</param>
public sealed record CreateComplaint(
    Guid? PartyId, Guid? ContactId, Guid? InvoiceId, Guid? OrderId, Guid? ProductId, string? Description, DateOnly? ReceivedOn,
    IReadOnlyList<ComplaintLineInput>? Lines);

/// <param name="Lines">For a credit note: the quantities to credit per invoice line; omitted = the complaint's own lines.</param>
/// <param name="Note">For CreditNote/Replacement: what was decided; for Rejection: the reason (required).</param>
public sealed record ResolveComplaint(ComplaintResolution? Kind, string? Note, IReadOnlyList<ComplaintLineInput>? Lines = null, Guid? Version = null);

public sealed record ComplaintSettings(int ResponseDays, int ResolutionDays);

public sealed record ComplaintListItem(
    Guid Id, string Number, ComplaintStatus Status, Guid PartyId, string PartyName, Guid? InvoiceId, string? InvoiceNumber,
    DateOnly ReceivedOn, DateOnly ResponseDueOn, DateOnly ResolutionDueOn, bool IsOverdue, ComplaintResolution? Resolution, string Description);

/// <summary>A complaint with the numbers of what it links to, for reading.</summary>
public sealed record ComplaintView(Complaint Complaint, string PartyName, string? InvoiceNumber, string? OrderNumber, string? ProductName,
    string? CorrectionNumber, bool IsOverdue);

/// <summary>
/// Complaints (docs/crm.md, "Complaints"): registration with SLA dates, status moves (anything not in
/// <see cref="Complaint.CanMove"/> is 409), and resolution — a credit note makes a correction draft of the linked
/// invoice through <see cref="CorrectionService"/> in the same transaction, for a person to review and issue.
/// </summary>
public sealed class ComplaintService(
    KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, ICurrentActor actor, TimeProvider clock, BusinessCalendar calendar,
    ReferenceData referenceData, DocumentNumbering numbering, CorrectionService corrections)
{
    public const int MaxSlaDays = 365;

    public async Task<Complaint> CreateAsync(CreateComplaint c, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var description = errors.Text(c.Description, "description", Complaint.MaxDescriptionLength);
        var today = calendar.Today();
        var receivedOn = c.ReceivedOn ?? today;
        errors.Require(receivedOn <= today, "receivedOn", "receivedOn cannot be in the future.");
        if (c.InvoiceId is null && c.OrderId is null && c.ProductId is null)
            errors.Add("invoiceId", "A complaint is about an invoice, an order or a product: give at least one of invoiceId, orderId, productId.");
        var lineInputs = c.Lines ?? [];
        if (lineInputs.Count > 0 && c.InvoiceId is null) errors.Add("lines", "Lines name positions of the invoice: give invoiceId with them.");

        var partyId = c.PartyId;
        Invoice? invoice = null;
        if (c.InvoiceId is { } invoiceId)
        {
            invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstOrDefaultAsync(i => i.Id == invoiceId, ct);
            if (invoice is null) errors.Add("invoiceId", $"Invoice {invoiceId} does not exist.");
            else if (invoice.Status != InvoiceStatus.Issued || invoice.Kind == InvoiceKind.ProForma)
                errors.Add("invoiceId", "A complaint refers to an issued invoice, not a draft or a pro forma.");
            else if (partyId is not null && partyId != invoice.PartyId) errors.Add("invoiceId", "The invoice was issued to another party.");
            else partyId = invoice.PartyId;
        }
        if (c.OrderId is { } orderId)
        {
            var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new { o.PartyId }).FirstOrDefaultAsync(ct);
            if (order is null) errors.Add("orderId", $"Order {orderId} does not exist.");
            else if (partyId is not null && partyId != order.PartyId) errors.Add("orderId", "The order belongs to another party.");
            else partyId = order.PartyId;
        }
        if (c.ProductId is { } productId && !await db.Products.AnyAsync(p => p.Id == productId, ct))
            errors.Add("productId", $"Product {productId} does not exist.");
        if (partyId is null) errors.Add("partyId", "partyId is required when no invoice or order names the customer.");
        else if (!await db.Parties.AnyAsync(p => p.Id == partyId, ct)) errors.Add("partyId", $"Party {partyId} does not exist.");
        if (c.ContactId is { } contactId && partyId is not null
            && !await db.Contacts.AnyAsync(x => x.Id == contactId && x.PartyId == partyId, ct))
            errors.Add("contactId", "The contact does not exist or belongs to another party.");
        var lines = invoice is null ? [] : ComplainedLines(invoice.Lines.Select(l => (l.Position, l.Description, l.Quantity)).ToList(), lineInputs, errors);
        errors.ThrowIfAny();

        return await unitOfWork.ExecuteAsync(async token =>
        {
            var data = await referenceData.GetAsync(token);
            var profile = data.Company!;
            var series = data.NumberingSeries.FirstOrDefault(s => s.DocumentType == Complaint.DocumentType && s.IsDefault)
                         ?? throw new InvalidOperationException("No default complaint numbering series; the database was not initialised.");
            var complaint = new Complaint
            {
                Number = await numbering.NextAsync(series, today, token),
                SeriesId = series.Id,
                PartyId = partyId!.Value,
                ContactId = c.ContactId,
                InvoiceId = c.InvoiceId,
                OrderId = c.OrderId,
                ProductId = c.ProductId,
                Description = description!,
                ReceivedOn = receivedOn,
                ResponseDueOn = receivedOn.AddDays(profile.ComplaintResponseDays),
                ResolutionDueOn = receivedOn.AddDays(profile.ComplaintResolutionDays),
                Status = ComplaintStatus.New,
                CreatedAt = clock.GetUtcNow(),
                CreatedBy = actor.Name,
            };
            foreach (var (position, text, quantity) in lines)
                complaint.Lines.Add(new ComplaintLine { ComplaintId = complaint.Id, Position = position, Description = text, Quantity = quantity });
            db.Add(complaint);
            audit.Record("complaint.registered", nameof(Complaint), complaint.Id, new
            {
                complaint.Number, complaint.PartyId, complaint.InvoiceId, complaint.OrderId, complaint.ProductId,
                complaint.ReceivedOn, complaint.ResponseDueOn, complaint.ResolutionDueOn,
                lines = complaint.Lines.Select(l => new { l.Position, l.Quantity }),
            });
            return complaint;
        }, ct);
    }

    public Task<Complaint> StartReviewAsync(Guid id, Guid? version, CancellationToken ct = default) =>
        MoveAsync(id, version, ComplaintStatus.InReview, "complaint.review-started", ct);

    public Task<Complaint> CloseAsync(Guid id, Guid? version, CancellationToken ct = default) =>
        MoveAsync(id, version, ComplaintStatus.Closed, "complaint.closed", ct);

    private async Task<Complaint> MoveAsync(Guid id, Guid? version, ComplaintStatus to, string action, CancellationToken ct) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var complaint = await LoadAsync(id, version, token);
            RequireMove(complaint, to);
            var now = clock.GetUtcNow();
            complaint.Status = to;
            complaint.RespondedAt ??= now;
            if (to == ComplaintStatus.Closed) complaint.ClosedAt = now;
            complaint.Version = Guid.NewGuid();
            audit.Record(action, nameof(Complaint), complaint.Id, new { complaint.Number, status = to.ToString() });
            return complaint;
        }, ct);

    /// <summary>
    /// Resolves (or rejects) an open complaint. CreditNote: a correction draft of the linked invoice lowering each chosen line by the
    /// credited quantity (reason "Reklamacja {number}: …"), linked to the complaint; Replacement: recorded only; Rejection: reason required.
    /// </summary>
    public async Task<Complaint> ResolveAsync(Guid id, ResolveComplaint r, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (r.Kind is null) errors.Add("kind", "kind is required: CreditNote, Replacement or Rejection.");
        var note = errors.Text(r.Note, "note", Complaint.MaxReasonLength, required: false);
        if (r.Kind == ComplaintResolution.Rejection && note is null) errors.Add("note", "A rejection needs its reason (note).");
        errors.ThrowIfAny();

        return await unitOfWork.ExecuteAsync(async token =>
        {
            var complaint = await LoadAsync(id, r.Version, token);
            var to = r.Kind == ComplaintResolution.Rejection ? ComplaintStatus.Rejected : ComplaintStatus.Resolved;
            RequireMove(complaint, to);
            if (r.Kind == ComplaintResolution.CreditNote)
            {
                if (complaint.InvoiceId is not { } invoiceId)
                    throw new ValidationException("kind", "A credit note corrects an invoice; this complaint names none. Resolve it with Replacement or Rejection.");
                var state = await corrections.CorrectableStateAsync(invoiceId, token);
                var chosen = r.Lines is { Count: > 0 } ? r.Lines : complaint.Lines.Select(l => new ComplaintLineInput(l.Position, l.Quantity)).ToList();
                var lineErrors = new ValidationErrors();
                if (chosen.Count == 0) lineErrors.Add("lines", "Choose the invoice lines and quantities to credit.");
                var credited = ComplainedLines(state.Lines.Select(l => (l.Position, l.Description, l.Quantity)).ToList(), chosen, lineErrors);
                lineErrors.ThrowIfAny();
                var reason = TextLength.Cut($"Reklamacja {complaint.Number}: {note ?? complaint.Description}", CorrectionService.MaxReasonLength);
                var correction = await corrections.CreateDraftAsync(invoiceId, new CreateCorrection(reason, null, false,
                    credited.Select(l => new CorrectionLineInput(l.Position, state.Lines.First(x => x.Position == l.Position).Quantity - l.Quantity, null, null, null)).ToList()), token);
                complaint.CorrectionInvoiceId = correction.Id;
                db.DocumentLinks.Add(new DocumentLink
                {
                    FromType = Complaint.DocumentType, FromId = complaint.Id,
                    ToType = NumberingSeries.CorrectionDocumentType, ToId = correction.Id, CreatedAt = clock.GetUtcNow(),
                });
            }
            var now = clock.GetUtcNow();
            complaint.Status = to;
            complaint.Resolution = r.Kind;
            complaint.ResolutionNote = note;
            complaint.RespondedAt ??= now;
            complaint.ResolvedAt = now;
            complaint.Version = Guid.NewGuid();
            audit.Record(to == ComplaintStatus.Rejected ? "complaint.rejected" : "complaint.resolved", nameof(Complaint), complaint.Id,
                new { complaint.Number, resolution = r.Kind.ToString(), note, complaint.CorrectionInvoiceId });
            return complaint;
        }, ct);
    }

    public async Task<ComplaintView> GetAsync(Guid id, CancellationToken ct = default)
    {
        var complaint = await db.Set<Complaint>().AsNoTracking().Include(c => c.Lines).FirstOrDefaultAsync(c => c.Id == id, ct)
                        ?? throw new NotFoundException("Complaint", id);
        complaint.Lines.Sort((a, b) => a.Position.CompareTo(b.Position));
        var partyName = await db.Parties.Where(p => p.Id == complaint.PartyId).Select(p => p.Name).FirstAsync(ct);
        async Task<string?> InvoiceNumber(Guid? invoiceId) => invoiceId is { } i ? await db.Invoices.Where(x => x.Id == i).Select(x => x.Number).FirstOrDefaultAsync(ct) : null;
        return new ComplaintView(complaint, partyName,
            await InvoiceNumber(complaint.InvoiceId),
            complaint.OrderId is { } o ? await db.Orders.Where(x => x.Id == o).Select(x => x.Number).FirstOrDefaultAsync(ct) : null,
            complaint.ProductId is { } p ? await db.Products.Where(x => x.Id == p).Select(x => x.Name).FirstOrDefaultAsync(ct) : null,
            await InvoiceNumber(complaint.CorrectionInvoiceId),
            complaint.IsOverdue(calendar.Today()));
    }

    /// <summary>Complaints newest first; <paramref name="open"/>: New or InReview; <paramref name="overdue"/>: open and past a due date today.</summary>
    public async Task<IReadOnlyList<ComplaintListItem>> ListAsync(Guid? partyId, ComplaintStatus? status, bool? open, bool? overdue, int skip, int take, CancellationToken ct = default)
    {
        var today = calendar.Today();
        var query = db.Set<Complaint>().AsNoTracking();
        if (partyId is { } p) query = query.Where(c => c.PartyId == p);
        if (status is { } s) query = query.Where(c => c.Status == s);
        if (open is true || overdue is true) query = query.Where(c => c.Status == ComplaintStatus.New || c.Status == ComplaintStatus.InReview);
        if (open is false) query = query.Where(c => c.Status != ComplaintStatus.New && c.Status != ComplaintStatus.InReview);
        // The same rule as Complaint.IsOverdue, in the database.
        if (overdue is true) query = query.Where(c => today > c.ResolutionDueOn || (c.Status == ComplaintStatus.New && today > c.ResponseDueOn));
        var rows = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Select(c => new
            {
                Complaint = c,
                PartyName = db.Parties.Where(x => x.Id == c.PartyId).Select(x => x.Name).First(),
                InvoiceNumber = db.Invoices.Where(x => x.Id == c.InvoiceId).Select(x => x.Number).FirstOrDefault(),
            }).ToListAsync(ct);
        return rows.Select(x => new ComplaintListItem(x.Complaint.Id, x.Complaint.Number, x.Complaint.Status, x.Complaint.PartyId, x.PartyName,
            x.Complaint.InvoiceId, x.InvoiceNumber, x.Complaint.ReceivedOn, x.Complaint.ResponseDueOn, x.Complaint.ResolutionDueOn,
            x.Complaint.IsOverdue(today), x.Complaint.Resolution, x.Complaint.Description)).ToList();
    }

    public async Task<ComplaintSettings> GetSettingsAsync(CancellationToken ct = default)
    {
        var profile = (await referenceData.GetAsync(ct)).Company!;
        return new ComplaintSettings(profile.ComplaintResponseDays, profile.ComplaintResolutionDays);
    }

    /// <summary>Changes the SLA days for complaints registered from now on (registered ones keep their dates).</summary>
    public async Task<ComplaintSettings> UpdateSettingsAsync(ComplaintSettings s, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        errors.Require(s.ResponseDays is >= 1 and <= MaxSlaDays, "responseDays", $"responseDays must be between 1 and {MaxSlaDays}.");
        errors.Require(s.ResolutionDays is >= 1 and <= MaxSlaDays, "resolutionDays", $"resolutionDays must be between 1 and {MaxSlaDays}.");
        errors.Require(s.ResolutionDays >= s.ResponseDays, "resolutionDays", "resolutionDays cannot be shorter than responseDays.");
        errors.ThrowIfAny();
        await unitOfWork.ExecuteAsync(async token =>
        {
            var profile = await db.CompanyProfiles.FirstAsync(p => p.Id == CompanyProfile.SingletonId, token);
            audit.Record("complaint.settings-changed", nameof(CompanyProfile), profile.Id, new
            {
                before = new { profile.ComplaintResponseDays, profile.ComplaintResolutionDays }, after = s,
            });
            profile.ComplaintResponseDays = s.ResponseDays;
            profile.ComplaintResolutionDays = s.ResolutionDays;
            profile.Version = Guid.NewGuid();
            return 0;
        }, ct);
        referenceData.Invalidate();
        return await GetSettingsAsync(ct);
    }

    private static List<(int Position, string Description, decimal Quantity)> ComplainedLines(
        IReadOnlyList<(int Position, string Description, decimal Quantity)> invoiceLines, IReadOnlyList<ComplaintLineInput> inputs, ValidationErrors errors)
    {
        var result = new List<(int, string, decimal)>();
        for (var k = 0; k < inputs.Count; k++)
        {
            var input = inputs[k];
            var line = invoiceLines.FirstOrDefault(l => l.Position == input.Position);
            if (input.Position is null || line.Description is null)
                errors.Add($"lines[{k}].position", $"The invoice has no line {input.Position}.");
            else if (result.Any(r => r.Item1 == line.Position))
                errors.Add($"lines[{k}].position", $"Line {line.Position} is named twice.");
            else if (input.Quantity is not { } q || q <= 0)
                errors.Add($"lines[{k}].quantity", "quantity must be greater than zero.");
            else if (q > line.Quantity)
                errors.Add($"lines[{k}].quantity", $"quantity cannot exceed the line's {line.Quantity:0.######}.");
            else
                result.Add((line.Position, line.Description, q));
        }
        return result;
    }

    private static void RequireMove(Complaint complaint, ComplaintStatus to)
    {
        if (!Complaint.CanMove(complaint.Status, to))
            throw new ConflictException($"Complaint {complaint.Number} is {complaint.Status}; it cannot become {to}.");
    }

    private async Task<Complaint> LoadAsync(Guid id, Guid? version, CancellationToken ct)
    {
        var complaint = await db.Set<Complaint>().Include(c => c.Lines).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Complaint", id);
        if (version is { } v && v != complaint.Version)
            throw new ConflictException($"Complaint {complaint.Number} was changed by someone else; reload it and try again.");
        return complaint;
    }
}
