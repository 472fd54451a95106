using Kontor.Sales;

namespace Kontor.Crm.Pipeline;

public enum CampaignChannel { Email, Ads, TradeFair, Webinar, Referral, Other }

/// <summary>
/// A marketing campaign: what it cost (in the book currency, so ROI compares like with like) and which leads,
/// opportunities, offers, orders and invoices it brought (their CampaignId). Results: <see cref="CampaignService.ResultsAsync"/>.
/// </summary>
public sealed class Campaign
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public CampaignChannel Channel { get; set; }
    public decimal Cost { get; set; }
    /// <summary>The book currency when the campaign was saved.</summary>
    public string CostCurrency { get; set; } = "PLN";
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public Guid? OwnerUserId { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid Version { get; set; } = Guid.NewGuid();
}

public enum LeadStatus { New, Contacted, Qualified, Disqualified, Converted }

/// <summary>
/// Someone who may buy, before they are a party: a company and/or a contact person. Conversion makes the party
/// (through <see cref="PartyService"/>), its contact and an opportunity in one transaction and keeps the links here.
/// </summary>
public sealed class Lead
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string? CompanyName { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    /// <summary>Polish NIP, optional; with it the party is a company even without a company name.</summary>
    public string? TaxId { get; set; }
    public string? Source { get; set; }
    public Guid? CampaignId { get; set; }
    public Guid? OwnerUserId { get; set; }
    public LeadStatus Status { get; set; }
    public string? DisqualifiedReason { get; set; }
    public string? Notes { get; set; }
    public Guid? ConvertedPartyId { get; set; }
    public Guid? ConvertedContactId { get; set; }
    public Guid? ConvertedOpportunityId { get; set; }
    public DateTimeOffset? ConvertedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid Version { get; set; } = Guid.NewGuid();

    public string ContactName => string.Join(' ', new[] { FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
    public string DisplayName => !string.IsNullOrWhiteSpace(CompanyName) ? CompanyName! : ContactName;
}

/// <summary>Open stages hold the pipeline; reaching a Won or Lost stage closes the opportunity.</summary>
public enum StageKind { Open, Won, Lost }

/// <summary>One column of the pipeline (company-wide list, ordered); its probability is the default of opportunities moved into it.</summary>
public sealed class PipelineStage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public int Position { get; set; }
    /// <summary>Percent, 0–100.</summary>
    public int Probability { get; set; }
    public StageKind Kind { get; set; }
    public bool IsArchived { get; set; }
}

/// <summary>A possible sale to a party: amount, probability, expected close date, stage, owner and optional lines.</summary>
public sealed class Opportunity
{
    public const string DocumentType = "opportunity";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid PartyId { get; set; }
    public Guid? ContactId { get; set; }
    public Guid? OwnerUserId { get; set; }
    /// <summary>Net amount expected.</summary>
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "PLN";
    /// <summary>Percent, 0–100; set to the stage's default whenever the stage changes.</summary>
    public int Probability { get; set; }
    public DateOnly ExpectedCloseDate { get; set; }
    public Guid StageId { get; set; }
    public Guid? CampaignId { get; set; }
    public Guid? LeadId { get; set; }
    public string? LostReason { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<OpportunityLine> Lines { get; init; } = [];
}

/// <summary>A line of what the opportunity is about: the shared document line terms, copied into the offer or order when won.</summary>
public sealed class OpportunityLine : LineTerms
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OpportunityId { get; init; }
}

/// <summary>One stage move: the history the pipeline's reports and tests read (append-only).</summary>
public sealed class OpportunityStageChange
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OpportunityId { get; init; }
    /// <summary>Null for the opportunity's first stage.</summary>
    public Guid? FromStageId { get; init; }
    public Guid ToStageId { get; init; }
    public DateTimeOffset At { get; init; }
    public Guid? ByUserId { get; init; }
    public string ByName { get; init; } = "";
}
