using System.Net.Mail;
using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Pipeline;

public sealed record SaveLead(
    string? CompanyName,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? TaxId,
    string? Source,
    Guid? CampaignId,
    Guid? OwnerUserId,
    string? Notes);

/// <summary>The opportunity a conversion creates (net amount in <paramref name="Currency"/>, default PLN).</summary>
public sealed record NewOpportunityInput(string? Name, decimal? Amount, string? Currency, DateOnly? ExpectedCloseDate, Guid? StageId);

public sealed record ConversionResult(Lead Lead, Guid PartyId, Guid? ContactId, Guid OpportunityId);

public sealed record LeadListItem(Guid Id, string Name, string? CompanyName, string ContactName, string? Email, string? Phone, string? Source,
    Guid? CampaignId, string? CampaignName, Guid? OwnerUserId, string? OwnerName, LeadStatus Status, DateTimeOffset CreatedAt);

/// <summary>Leads: capture, status changes (disqualifying needs a reason) and conversion into party + contact + opportunity.</summary>
public sealed class LeadService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    PartyService parties,
    OpportunityService opportunities,
    TimeProvider clock)
{
    public async Task<Lead> CreateAsync(SaveLead command, CancellationToken ct = default)
    {
        var lead = new Lead { CreatedAt = clock.GetUtcNow(), Status = LeadStatus.New };
        await ApplyAsync(lead, command, ct);
        return await unitOfWork.ExecuteAsync(token =>
        {
            db.Leads.Add(lead);
            audit.Record("lead.created", nameof(Lead), lead.Id, new { name = lead.DisplayName, lead.Source, lead.CampaignId, lead.OwnerUserId });
            return Task.FromResult(lead);
        }, ct);
    }

    public async Task<Lead> UpdateAsync(Guid id, SaveLead command, Guid? expectedVersion, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var lead = await LoadAsync(id, expectedVersion, token);
            if (lead.Status == LeadStatus.Converted) throw new ConflictException($"Lead '{lead.DisplayName}' was converted; change the party instead.");
            await ApplyAsync(lead, command, token);
            lead.Version = Guid.NewGuid();
            audit.Record("lead.changed", nameof(Lead), lead.Id, new { name = lead.DisplayName, lead.Source, lead.CampaignId, lead.OwnerUserId });
            return lead;
        }, ct);

    /// <summary>
    /// New, Contacted, Qualified or Disqualified (with a reason). Converted is reached only by <see cref="ConvertAsync"/>,
    /// and a converted lead does not change status any more.
    /// </summary>
    public async Task<Lead> ChangeStatusAsync(Guid id, LeadStatus? status, string? reason, Guid? expectedVersion, CancellationToken ct = default)
    {
        if (status is null || !Enum.IsDefined(status.Value)) throw new ValidationException("status", "status must be New, Contacted, Qualified or Disqualified.");
        if (status == LeadStatus.Converted) throw new ValidationException("status", "A lead becomes Converted by POST /api/leads/{id}/convert.");
        var trimmed = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (status == LeadStatus.Disqualified && trimmed is null) throw new ValidationException("reason", "Say why the lead is disqualified (reason).");
        if (trimmed is { Length: > 500 }) throw new ValidationException("reason", "reason must be at most 500 characters.");
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var lead = await LoadAsync(id, expectedVersion, token);
            if (lead.Status == LeadStatus.Converted) throw new ConflictException($"Lead '{lead.DisplayName}' was converted and keeps that status.");
            var before = lead.Status;
            lead.Status = status.Value;
            lead.DisqualifiedReason = status == LeadStatus.Disqualified ? trimmed : null;
            lead.Version = Guid.NewGuid();
            audit.Record("lead.status-changed", nameof(Lead), lead.Id, new { from = before.ToString(), to = lead.Status.ToString(), reason = lead.DisqualifiedReason });
            return lead;
        }, ct);
    }

    /// <summary>
    /// In ONE transaction: the party (a company when the lead has a company name or NIP, else a person) through
    /// <see cref="PartyService.CreateAsync"/> so its validation and duplicate rules apply, its contact (the lead's
    /// contact person), and the opportunity (campaign and owner from the lead); the lead becomes Converted with links
    /// to all three. A converted or disqualified lead is refused (409); bad input is 400 naming the field, and
    /// nothing is written.
    /// </summary>
    public async Task<ConversionResult> ConvertAsync(Guid id, NewOpportunityInput? createOpportunity, CancellationToken ct = default)
    {
        if (createOpportunity is null) throw new ValidationException("createOpportunity", "createOpportunity is required (name, amount, expectedCloseDate).");
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var lead = await LoadAsync(id, null, token);
            if (lead.Status == LeadStatus.Converted)
                throw new ConflictException($"Lead '{lead.DisplayName}' was already converted (party {lead.ConvertedPartyId}, opportunity {lead.ConvertedOpportunityId}).");
            if (lead.Status == LeadStatus.Disqualified)
                throw new ConflictException($"Lead '{lead.DisplayName}' is disqualified; qualify it again before converting it.");

            // The opportunity is validated first (its party comes later), so a bad amount or date writes nothing.
            var opportunity = new Opportunity { CreatedAt = clock.GetUtcNow() };
            var stage = await opportunities.BuildAsync(opportunity, new SaveOpportunity(createOpportunity.Name, Guid.Empty, null, lead.OwnerUserId,
                createOpportunity.Amount, createOpportunity.Currency, null, createOpportunity.ExpectedCloseDate, createOpportunity.StageId, lead.CampaignId,
                null, null, LeadId: lead.Id), "createOpportunity.", token);

            var isCompany = !string.IsNullOrWhiteSpace(lead.CompanyName) || !string.IsNullOrWhiteSpace(lead.TaxId);
            var hasContact = !string.IsNullOrWhiteSpace(lead.FirstName) || !string.IsNullOrWhiteSpace(lead.LastName);
            var contact = hasContact ? new ContactInput(lead.FirstName ?? "", lead.LastName ?? "", null, lead.Email, lead.Phone) : null;
            var party = await parties.CreateAsync(new CreateParty(
                isCompany ? PartyKind.Company : PartyKind.Person,
                isCompany ? lead.CompanyName ?? lead.ContactName : lead.ContactName,
                string.IsNullOrWhiteSpace(lead.TaxId) ? TaxIdKind.None : TaxIdKind.Nip, lead.TaxId,
                null, lead.Email, lead.Phone, null, null, null, null,
                contact is null ? null : [contact]), token);
            var contactId = party.Contacts.FirstOrDefault()?.Id;

            opportunity.PartyId = party.Id;
            opportunity.ContactId = contactId;
            await opportunities.AddAsync(opportunity, stage, token);

            lead.Status = LeadStatus.Converted;
            lead.ConvertedPartyId = party.Id;
            lead.ConvertedContactId = contactId;
            lead.ConvertedOpportunityId = opportunity.Id;
            lead.ConvertedAt = clock.GetUtcNow();
            // The lead row changes, so a concurrent second conversion fails on the version (409).
            lead.Version = Guid.NewGuid();
            audit.Record("lead.converted", nameof(Lead), lead.Id, new { partyId = party.Id, contactId, opportunityId = opportunity.Id });
            return new ConversionResult(lead, party.Id, contactId, opportunity.Id);
        }, ct);
    }

    public async Task<Lead> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct) ?? throw new NotFoundException("Lead", id);

    public async Task<IReadOnlyList<LeadListItem>> ListAsync(LeadStatus? status, Guid? ownerUserId, Guid? campaignId, string? search,
        int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var query = db.Leads.AsNoTracking();
        if (status is not null) query = query.Where(l => l.Status == status);
        if (ownerUserId is not null) query = query.Where(l => l.OwnerUserId == ownerUserId);
        if (campaignId is not null) query = query.Where(l => l.CampaignId == campaignId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToLower();
            query = query.Where(l => (l.CompanyName != null && l.CompanyName.ToLower().Contains(s)) || (l.LastName != null && l.LastName.ToLower().Contains(s))
                                     || (l.FirstName != null && l.FirstName.ToLower().Contains(s)) || (l.Email != null && l.Email.ToLower().Contains(s)));
        }
        var rows = await query.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        var campaignIds = rows.Where(r => r.CampaignId is not null).Select(r => r.CampaignId!.Value).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var owners = await opportunities.OwnerNamesAsync(ct);
        return rows.Select(l => new LeadListItem(l.Id, l.DisplayName, l.CompanyName, l.ContactName, l.Email, l.Phone, l.Source,
            l.CampaignId, l.CampaignId is { } c ? campaigns.GetValueOrDefault(c) : null,
            l.OwnerUserId, l.OwnerUserId is { } o ? owners.GetValueOrDefault(o) : null, l.Status, l.CreatedAt)).ToList();
    }

    private async Task<Lead> LoadAsync(Guid id, Guid? expectedVersion, CancellationToken ct)
    {
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == id, ct) ?? throw new NotFoundException("Lead", id);
        if (expectedVersion is not null && expectedVersion != lead.Version)
            throw new ConflictException($"Lead '{lead.DisplayName}' was changed by someone else; reload it and try again.");
        return lead;
    }

    private async Task ApplyAsync(Lead lead, SaveLead c, CancellationToken ct)
    {
        if (c is null) throw new ValidationException("body", "A lead is required.");
        var errors = new ValidationErrors();
        var company = errors.Text(c.CompanyName, "companyName", 200, required: false);
        var first = errors.Text(c.FirstName, "firstName", 100, required: false);
        var last = errors.Text(c.LastName, "lastName", 100, required: false);
        errors.Require(company is not null || last is not null || first is not null, "companyName", "Give a company name or a contact person's name.");
        var email = errors.Text(c.Email, "email", 254, required: false);
        if (email is not null && !MailAddress.TryCreate(email, out _)) errors.Add("email", "email is not a valid e-mail address.");
        var phone = errors.Text(c.Phone, "phone", 40, required: false);
        string? taxId = null;
        if (!string.IsNullOrWhiteSpace(c.TaxId))
        {
            if (Nip.TryParse(c.TaxId, out var nip, out var error)) taxId = nip.ToString();
            else errors.Add("taxId", error);
        }
        var source = errors.Text(c.Source, "source", 100, required: false);
        var notes = errors.Text(c.Notes, "notes", 4000, required: false);
        if (c.CampaignId is { } campaign)
            errors.Require(await db.Campaigns.AnyAsync(x => x.Id == campaign, ct), "campaignId", $"Campaign {campaign} does not exist.");
        if (c.OwnerUserId is { } owner)
            errors.Require(await db.Users.AnyAsync(u => u.Id == owner, ct), "ownerUserId", $"User {owner} does not exist.");
        errors.ThrowIfAny();
        lead.CompanyName = company;
        lead.FirstName = first;
        lead.LastName = last;
        lead.Email = email;
        lead.Phone = phone;
        lead.TaxId = taxId;
        lead.Source = source;
        lead.CampaignId = c.CampaignId;
        lead.OwnerUserId = c.OwnerUserId;
        lead.Notes = notes;
    }
}
