using System.Globalization;
using Kontor.Common;
using Kontor.Crm.Segmentation;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.PersonalData;

public sealed record PersonalDataAddress(string? Street, string? PostalCode, string? City, string CountryCode);

public sealed record PersonalDataContact(Guid Id, Guid PartyId, string? PartyName, string FirstName, string LastName, string? Position, string? Email, string? Phone, DateTimeOffset? ErasedAt);

public sealed record PersonalDataDocument(string Type, Guid Id, string? Number, string Status, DateOnly? Date, DateOnly? DueDate, string Currency, decimal Gross,
    string? BuyerName = null, string? BuyerTaxId = null);

public sealed record PersonalDataPayment(Guid Id, string Direction, DateOnly Date, decimal Amount, string Currency, string? Reference);

public sealed record PersonalDataAudit(DateTimeOffset At, string UserName, string Action, string EntityType, string EntityId, string Details);

/// <summary>Everything Kontor holds about a person (a party of kind Person), for a data subject's access request.</summary>
public sealed record PartyPersonalData(
    DateTimeOffset ExportedAt,
    Guid PartyId,
    string Name,
    string? TaxIdKind,
    string? TaxId,
    PersonalDataAddress Address,
    string? Email,
    string? Phone,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ErasedAt,
    string? Segment,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> BankAccounts,
    IReadOnlyList<PersonalDataContact> Contacts,
    IReadOnlyList<PersonalDataDocument> Documents,
    IReadOnlyList<PersonalDataPayment> Payments,
    IReadOnlyList<PersonalDataAudit> AuditEntries,
    IReadOnlyList<PersonalDataActivity>? Activities = null,
    IReadOnlyList<PersonalDataLead>? Leads = null,
    IReadOnlyList<PersonalDataComplaint>? Complaints = null);

/// <summary>A call, meeting, e-mail, task or note about the person (CRM records: erased with the person).</summary>
public sealed record PersonalDataActivity(Guid Id, string Kind, string Subject, string? Body, DateTimeOffset? DueAt, DateTimeOffset? DoneAt, string? Outcome,
    string? OutcomeNote, DateTimeOffset CreatedAt);

/// <summary>The lead the person came from (what they gave before becoming a customer).</summary>
public sealed record PersonalDataLead(Guid Id, string? CompanyName, string? FirstName, string? LastName, string? Email, string? Phone, string? TaxId,
    string? Source, string Status, string? Notes, DateTimeOffset CreatedAt);

public sealed record PersonalDataComplaint(Guid Id, string Number, DateOnly ReceivedOn, string Status, string Description, string? ResolutionNote);

/// <summary>Everything about a contact person of a party.</summary>
public sealed record ContactPersonalData(DateTimeOffset ExportedAt, PersonalDataContact Contact, IReadOnlyList<PersonalDataAudit> AuditEntries);

/// <summary>What an erasure left in place and why: "3 issued invoices (legal retention until 2031-12-31)".</summary>
public sealed record RetainedRecords(string What, int Count, DateOnly RetainedUntil, string Reason)
{
    public override string ToString() => $"{Count} {What} (legal retention until {RetainedUntil:yyyy-MM-dd})";
}

public sealed record ErasureResult(Guid Id, string Subject, string ErasedName, IReadOnlyList<string> AnonymisedFields, IReadOnlyList<RetainedRecords> Kept, string Statement);

/// <summary>
/// GDPR access (export) and erasure for persons: a party of kind Person, or a contact of any party. Companies are not
/// personal data. Erasure anonymises the live records; accounting records (issued invoices with their buyer snapshots,
/// posted journal entries, payments) are kept for the statutory period and the result says so (docs/decisions.md,
/// "Erasure keeps accounting records").
/// </summary>
public sealed class PersonalDataService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock, ICurrentActor actor)
{
    public const string ExportAuditAction = "gdpr.export";
    public const string EraseAuditAction = "gdpr.erase";
    public const int MaxReasonLength = 1000;
    /// <summary>Ustawa o rachunkowości art. 74 ust. 2: accounting records are kept 5 years from the start of the year after the financial year.</summary>
    public const int RetentionYears = 5;

    public static string ErasedName(Guid id) => $"Erased person #{id.ToString("N")[..8].ToUpperInvariant()}";

    /// <summary>The last day a record of <paramref name="year"/> must be kept: 31 December of year + 5.</summary>
    public static DateOnly RetainedUntil(int year) => new(year + RetentionYears, 12, 31);

    public async Task<PartyPersonalData> ExportPartyAsync(Guid partyId, CancellationToken ct = default)
    {
        RequirePermission();
        var party = await db.Parties.AsNoTracking().Include(p => p.Contacts).FirstOrDefaultAsync(p => p.Id == partyId, ct)
                    ?? throw new NotFoundException("Party", partyId);
        RefuseCompany(party);
        var segment = party.SegmentId is { } sid ? await db.Set<Segment>().Where(s => s.Id == sid).Select(s => s.Name).FirstOrDefaultAsync(ct) : null;
        var tags = await db.Set<PartyTag>().AsNoTracking().Where(t => t.PartyId == partyId).OrderBy(t => t.Tag).Select(t => t.Tag).ToListAsync(ct);
        var ibans = await db.PartyBankAccounts.AsNoTracking().Where(a => a.PartyId == partyId).Select(a => a.Iban).ToListAsync(ct);
        var documents = new List<PersonalDataDocument>();
        documents.AddRange((await db.Invoices.AsNoTracking().Where(i => i.PartyId == partyId).ToListAsync(ct))
            .OrderBy(i => i.IssueDate).ThenBy(i => i.CreatedAt)
            .Select(i => new PersonalDataDocument(i.Kind == InvoiceKind.Vat ? "invoice" : i.Kind.ToString().ToLowerInvariant(), i.Id, i.Number, i.Status.ToString(),
                i.IssueDate, i.DueDate, i.Currency, i.TotalGross, i.Buyer?.Name, i.Buyer?.TaxId)));
        documents.AddRange(await db.Offers.AsNoTracking().Where(o => o.PartyId == partyId).OrderBy(o => o.CreatedAt)
            .Select(o => new PersonalDataDocument("offer", o.Id, o.Number, o.Status.ToString(), o.SentOn, o.ValidUntil, o.Currency, o.TotalGross, null, null)).ToListAsync(ct));
        documents.AddRange(await db.Orders.AsNoTracking().Where(o => o.PartyId == partyId).OrderBy(o => o.OrderedOn)
            .Select(o => new PersonalDataDocument("order", o.Id, o.Number, o.Status.ToString(), o.OrderedOn, null, o.Currency, o.TotalGross, null, null)).ToListAsync(ct));
        documents.AddRange(await db.PurchaseInvoices.AsNoTracking().Where(p => p.SupplierId == partyId).OrderBy(p => p.IssueDate)
            .Select(p => new PersonalDataDocument("purchase-invoice", p.Id, p.SupplierInvoiceNumber, p.Status.ToString(), p.IssueDate, p.DueDate, p.Currency, p.TotalGross, p.SupplierName, p.SupplierTaxId)).ToListAsync(ct));
        var payments = await db.Payments.AsNoTracking().Where(p => p.PartyId == partyId).OrderBy(p => p.Date)
            .Select(p => new PersonalDataPayment(p.Id, p.Direction.ToString(), p.Date, p.Amount, p.Currency, p.Reference)).ToListAsync(ct);
        documents.AddRange(await db.Opportunities.AsNoTracking().Where(o => o.PartyId == partyId).OrderBy(o => o.CreatedAt)
            .Select(o => new PersonalDataDocument("opportunity", o.Id, o.Name, o.ClosedAt == null ? "Open" : "Closed", o.ExpectedCloseDate, null, o.Currency, o.Amount, null, null))
            .ToListAsync(ct));
        var activities = await db.Set<Activities.Activity>().AsNoTracking().Where(a => a.PartyId == partyId).OrderBy(a => a.CreatedAt)
            .Select(a => new PersonalDataActivity(a.Id, a.Kind.ToString(), a.Subject, a.Body, a.DueAt, a.DoneAt, a.Outcome.ToString(), a.OutcomeNote, a.CreatedAt))
            .ToListAsync(ct);
        var contactIds = party.Contacts.Select(c => (Guid?)c.Id).ToList();
        var leads = await db.Leads.AsNoTracking().Where(l => l.ConvertedPartyId == partyId || contactIds.Contains(l.ConvertedContactId)).OrderBy(l => l.CreatedAt)
            .Select(l => new PersonalDataLead(l.Id, l.CompanyName, l.FirstName, l.LastName, l.Email, l.Phone, l.TaxId, l.Source, l.Status.ToString(), l.Notes, l.CreatedAt))
            .ToListAsync(ct);
        var complaints = await db.Set<Complaints.Complaint>().AsNoTracking().Where(c => c.PartyId == partyId).OrderBy(c => c.ReceivedOn)
            .Select(c => new PersonalDataComplaint(c.Id, c.Number, c.ReceivedOn, c.Status.ToString(), c.Description, c.ResolutionNote)).ToListAsync(ct);
        var subjectIds = party.Contacts.Select(c => c.Id.ToString()).Append(partyId.ToString()).ToList();
        var auditEntries = await AuditAboutAsync(subjectIds, ct);

        await RecordExportAsync(nameof(Party), partyId, new { documents = documents.Count, payments = payments.Count, auditEntries = auditEntries.Count }, ct);
        return new PartyPersonalData(clock.GetUtcNow(), party.Id, party.Name, party.TaxIdKind.ToString(), party.TaxId,
            new PersonalDataAddress(party.Address.Street, party.Address.PostalCode, party.Address.City, party.Address.CountryCode),
            party.Email, party.Phone, party.CreatedAt, party.ErasedAt, segment, tags, ibans,
            party.Contacts.Select(c => ToExport(c, party.Name)).ToList(), documents, payments, auditEntries, activities, leads, complaints);
    }

    public async Task<ContactPersonalData> ExportContactAsync(Guid contactId, CancellationToken ct = default)
    {
        RequirePermission();
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, ct) ?? throw new NotFoundException("Contact", contactId);
        var partyName = await db.Parties.Where(p => p.Id == contact.PartyId).Select(p => p.Name).FirstOrDefaultAsync(ct);
        var auditEntries = await AuditAboutAsync([contactId.ToString()], ct);
        await RecordExportAsync(nameof(Contact), contactId, new { partyId = contact.PartyId, auditEntries = auditEntries.Count }, ct);
        return new ContactPersonalData(clock.GetUtcNow(), ToExport(contact, partyName), auditEntries);
    }

    /// <summary>
    /// Anonymises a person: name, tax id, address, e-mail, phone, tags, segment, learned bank accounts and the person's
    /// contacts. Refused (409) while anything is open between the business and the person. Issued invoices keep their buyer
    /// snapshot, posted entries and payments stay; the result and the audit say what was kept and until when.
    /// </summary>
    public async Task<ErasureResult> ErasePartyAsync(Guid partyId, string? reason, CancellationToken ct = default)
    {
        RequirePermission();
        var validReason = ValidReason(reason);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var party = await db.Parties.Include(p => p.Contacts).FirstOrDefaultAsync(p => p.Id == partyId, token) ?? throw new NotFoundException("Party", partyId);
            RefuseCompany(party);
            if (party.ErasedAt is { } erasedAt) throw new ConflictException($"This person's data was already erased on {erasedAt:yyyy-MM-dd}.");
            await RefuseOpenItemsAsync(partyId, token);

            var kept = await RetainedAsync(partyId, token);
            var erasedName = ErasedName(partyId);
            var now = clock.GetUtcNow();
            party.Name = erasedName;
            party.TaxId = null;
            party.TaxIdKind = TaxIdKind.None;
            party.Kpp = null;
            party.Address.Street = null;
            party.Address.PostalCode = null;
            party.Address.City = null;
            party.Email = null;
            party.Phone = null;
            party.SegmentId = null;
            party.ErasedAt = now;
            party.Version = Guid.NewGuid();
            foreach (var contact in party.Contacts) Anonymise(contact, now);
            db.Set<PartyTag>().RemoveRange(await db.Set<PartyTag>().Where(t => t.PartyId == partyId).ToListAsync(token));
            db.PartyBankAccounts.RemoveRange(await db.PartyBankAccounts.Where(a => a.PartyId == partyId).ToListAsync(token));
            // Drafts and offers are not accounting records: their free-text notes may carry personal remarks.
            foreach (var draft in await db.Invoices.Where(i => i.PartyId == partyId && i.Status == InvoiceStatus.Draft && i.Notes != null).ToListAsync(token))
                draft.Notes = null;
            // CRM records are no accounting records: what was said and noted about the person goes with them.
            foreach (var activity in await db.Set<Activities.Activity>().Where(a => a.PartyId == partyId).ToListAsync(token))
            {
                activity.Subject = "Erased";
                activity.Body = null;
                activity.OutcomeNote = null;
                activity.Version = Guid.NewGuid();
            }
            var contactIds = party.Contacts.Select(c => (Guid?)c.Id).ToList();
            foreach (var lead in await db.Leads.Where(l => l.ConvertedPartyId == partyId || contactIds.Contains(l.ConvertedContactId)).ToListAsync(token))
            {
                lead.CompanyName = lead.CompanyName is null ? null : erasedName;
                lead.FirstName = "Erased";
                lead.LastName = null;
                lead.Email = lead.Phone = lead.TaxId = lead.Notes = null;
                lead.Version = Guid.NewGuid();
            }
            foreach (var opportunity in await db.Opportunities.Where(o => o.PartyId == partyId).ToListAsync(token))
            {
                opportunity.Name = "Opportunity of " + erasedName;
                opportunity.Notes = null;
                opportunity.Version = Guid.NewGuid();
            }

            string[] fields = ["name", "taxId", "kpp", "address.street", "address.postalCode", "address.city", "email", "phone", "segment", "tags", "bankAccounts",
                "contacts", "draftNotes", "activities", "leads", "opportunities"];
            var statement = Statement(kept);
            audit.Record(EraseAuditAction, nameof(Party), partyId, new
            {
                reason = validReason, user = actor.Name, anonymisedFields = fields,
                kept = kept.Select(k => new { k.What, k.Count, retainedUntil = k.RetainedUntil, k.Reason }).ToList(), statement,
            });
            return new ErasureResult(partyId, "party", erasedName, fields, kept, statement);
        }, ct);
    }

    /// <summary>Anonymises a contact person (first and last name, position, e-mail, phone). Nothing of a contact is an accounting record.</summary>
    public async Task<ErasureResult> EraseContactAsync(Guid contactId, string? reason, CancellationToken ct = default)
    {
        RequirePermission();
        var validReason = ValidReason(reason);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId, token) ?? throw new NotFoundException("Contact", contactId);
            if (contact.ErasedAt is { } erasedAt) throw new ConflictException($"This contact's data was already erased on {erasedAt:yyyy-MM-dd}.");
            Anonymise(contact, clock.GetUtcNow());
            string[] fields = ["firstName", "lastName", "position", "email", "phone"];
            const string statement = "kept: nothing (a contact person appears in no accounting record)";
            audit.Record(EraseAuditAction, nameof(Contact), contactId, new { reason = validReason, user = actor.Name, partyId = contact.PartyId, anonymisedFields = fields, statement });
            return new ErasureResult(contactId, "contact", $"{contact.FirstName} {contact.LastName}", fields, [], statement);
        }, ct);
    }

    public static string Statement(IReadOnlyList<RetainedRecords> kept) =>
        kept.Count == 0 ? "kept: nothing (no accounting records)" : "kept: " + string.Join("; ", kept.Select(k => k.ToString()));

    private async Task<List<RetainedRecords>> RetainedAsync(Guid partyId, CancellationToken ct)
    {
        var kept = new List<RetainedRecords>();
        var issued = await db.Invoices.AsNoTracking().Where(i => i.PartyId == partyId && i.Status != InvoiceStatus.Draft && i.IssueDate != null)
            .Select(i => new { i.Kind, i.IssueDate }).ToListAsync(ct);
        void Add(string what, IReadOnlyCollection<DateOnly> dates, string reason)
        {
            if (dates.Count > 0) kept.Add(new RetainedRecords(what, dates.Count, RetainedUntil(dates.Max().Year), reason));
        }
        const string accounting = "accounting records: Ustawa o rachunkowości art. 74 (5 years after the end of the financial year)";
        Add("issued invoices", issued.Where(i => i.Kind != InvoiceKind.Correction).Select(i => i.IssueDate!.Value).ToList(), accounting + "; the buyer data printed on them is kept unchanged");
        Add("corrections", issued.Where(i => i.Kind == InvoiceKind.Correction).Select(i => i.IssueDate!.Value).ToList(), accounting + "; the buyer data printed on them is kept unchanged");
        Add("booked purchase invoices", await db.PurchaseInvoices.AsNoTracking().Where(p => p.SupplierId == partyId && p.Status == Purchases.PurchaseInvoiceStatus.Booked)
            .Select(p => p.IssueDate).ToListAsync(ct), accounting);
        Add("payments", await db.Payments.AsNoTracking().Where(p => p.PartyId == partyId).Select(p => p.Date).ToListAsync(ct), accounting);
        Add("posted journal entries", await db.JournalEntries.AsNoTracking()
            .Where(e => db.JournalLines.Any(l => l.EntryId == e.Id && l.PartyId == partyId)).Select(e => e.Date).ToListAsync(ct), accounting);
        Add("complaints", await db.Set<Complaints.Complaint>().AsNoTracking().Where(c => c.PartyId == partyId).Select(c => c.ReceivedOn).ToListAsync(ct),
            "complaint files: kept with the invoices and corrections they concern and for warranty claims (Kodeks cywilny art. 556 and following)");
        return kept;
    }

    private async Task RefuseOpenItemsAsync(Guid partyId, CancellationToken ct)
    {
        var open = await db.OpenItems.AsNoTracking().Where(o => o.PartyId == partyId && o.OpenAmount > 0)
            .Select(o => new { o.Side, o.Currency, o.OpenAmount }).ToListAsync(ct);
        if (open.Count == 0) return;
        var parts = open.GroupBy(o => (o.Side, o.Currency)).OrderBy(g => g.Key.Side).ThenBy(g => g.Key.Currency)
            .Select(g => OpenItemsText(g.Key.Side, g.Sum(o => o.OpenAmount).ToString("0.00", CultureInfo.InvariantCulture), g.Key.Currency, g.Count()));
        throw new ConflictException($"The person's data cannot be erased while there are open items: {string.Join("; ", parts)}. Settle them first; the data is needed to collect or pay them.");
    }

    /// <summary>One kind of open item in the reader's language: a whole sentence per side and count, so a translation keeps its grammar.</summary>
    private static string OpenItemsText(OpenItemSide side, string amount, string currency, int count) => (side, count) switch
    {
        (OpenItemSide.Receivable, 1) => Messages.Format("open receivables {0} {1} (1 item)", amount, currency),
        (OpenItemSide.Receivable, _) => Messages.Format("open receivables {0} {1} ({2} items)", amount, currency, count),
        (OpenItemSide.Credit, 1) => Messages.Format("unallocated payments to refund {0} {1} (1 item)", amount, currency),
        (OpenItemSide.Credit, _) => Messages.Format("unallocated payments to refund {0} {1} ({2} items)", amount, currency, count),
        (_, 1) => Messages.Format("open payables {0} {1} (1 item)", amount, currency),
        _ => Messages.Format("open payables {0} {1} ({2} items)", amount, currency, count),
    };

    /// <summary>The pages call this service directly, so it checks the permission itself, not only the endpoints.</summary>
    private void RequirePermission()
    {
        if (!actor.HasPermission(Policies.ManagePersonalData))
            throw new ForbiddenException(Policies.ManagePersonalData,
                $"Exporting or erasing personal data needs the {Policies.ManagePersonalData} permission (roles {string.Join(", ", Policies.RolesByPolicy[Policies.ManagePersonalData])}).");
    }

    private static void RefuseCompany(Party party)
    {
        if (party.Kind == PartyKind.Company)
            throw new ConflictException("A company is not personal data; export or erase its contact persons instead (/api/contacts/{id}/personal-data, /api/contacts/{id}/erase).");
    }

    private static void Anonymise(Contact contact, DateTimeOffset now)
    {
        contact.FirstName = "Erased";
        contact.LastName = $"person #{contact.Id.ToString("N")[..8].ToUpperInvariant()}";
        contact.Position = null;
        contact.Email = null;
        contact.Phone = null;
        contact.ErasedAt = now;
    }

    private static string ValidReason(string? reason)
    {
        var errors = new ValidationErrors();
        var valid = errors.Text(reason, "reason", MaxReasonLength);
        errors.ThrowIfAny();
        return valid!;
    }

    private async Task<List<PersonalDataAudit>> AuditAboutAsync(IReadOnlyList<string> entityIds, CancellationToken ct) =>
        (await db.AuditEntries.AsNoTracking().Where(a => entityIds.Contains(a.EntityId)).ToListAsync(ct))
            .OrderBy(a => a.At).ThenBy(a => a.Id)
            .Select(a => new PersonalDataAudit(a.At, a.UserName, a.Action, a.EntityType, a.EntityId, a.Details)).ToList();

    private async Task RecordExportAsync(string entityType, Guid id, object details, CancellationToken ct) =>
        await unitOfWork.ExecuteAsync(_ =>
        {
            audit.Record(ExportAuditAction, entityType, id, details);
            return Task.FromResult(0);
        }, ct);

    private static PersonalDataContact ToExport(Contact c, string? partyName) =>
        new(c.Id, c.PartyId, partyName, c.FirstName, c.LastName, c.Position, c.Email, c.Phone, c.ErasedAt);
}
