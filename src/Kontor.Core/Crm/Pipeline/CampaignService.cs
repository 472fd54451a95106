using Kontor.Common;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Pipeline;

/// <param name="Cost">In the book currency (<paramref name="CostCurrency"/> must be it when given).</param>
public sealed record SaveCampaign(string? Name, CampaignChannel? Channel, decimal? Cost, string? CostCurrency, DateOnly? StartDate, DateOnly? EndDate,
    Guid? OwnerUserId, string? Notes);

public sealed record AmountInCurrency(string Currency, decimal Amount);

/// <summary>
/// What a campaign brought (docs/crm.md "Campaigns", docs/decisions.md "Campaign results: paid revenue and ROI"). Revenue
/// and margin are in the book currency from <see cref="SalesMargins"/>: net revenue as booked on 700 by the issued
/// invoices (and their corrections) attributed to the campaign. Paid figures count only invoices whose receivable is
/// fully settled, together with their corrections. ROI = (paid margin − cost) / cost, in percent; null without cost.
/// </summary>
public sealed record CampaignResults(
    Campaign Campaign,
    string? OwnerName,
    int Leads,
    int ConvertedLeads,
    int Opportunities,
    int WonDeals,
    IReadOnlyList<AmountInCurrency> WonAmounts,
    string Currency,
    decimal InvoicedRevenue,
    decimal InvoicedMargin,
    decimal PaidRevenue,
    decimal PaidMargin,
    decimal PaidRevenueWithoutCost,
    decimal Cost,
    decimal? RoiPercent);

public sealed class CampaignService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    CompanyProfileProvider company,
    SalesMargins margins,
    OpportunityService opportunities,
    TimeProvider clock)
{
    public async Task<Campaign> CreateAsync(SaveCampaign command, CancellationToken ct = default)
    {
        var campaign = new Campaign { CreatedAt = clock.GetUtcNow() };
        await ApplyAsync(campaign, command, ct);
        return await unitOfWork.ExecuteAsync(token =>
        {
            db.Campaigns.Add(campaign);
            audit.Record("campaign.created", nameof(Campaign), campaign.Id, new { campaign.Name, channel = campaign.Channel.ToString(), campaign.Cost, campaign.CostCurrency });
            return Task.FromResult(campaign);
        }, ct);
    }

    public async Task<Campaign> UpdateAsync(Guid id, SaveCampaign command, Guid? expectedVersion, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, token) ?? throw new NotFoundException("Campaign", id);
            if (expectedVersion is not null && expectedVersion != campaign.Version)
                throw new ConflictException($"Campaign '{campaign.Name}' was changed by someone else; reload it and try again.");
            var before = new { campaign.Name, channel = campaign.Channel.ToString(), campaign.Cost, campaign.StartDate, campaign.EndDate };
            await ApplyAsync(campaign, command, token);
            campaign.Version = Guid.NewGuid();
            audit.Record("campaign.changed", nameof(Campaign), campaign.Id, new { before, after = new { campaign.Name, channel = campaign.Channel.ToString(), campaign.Cost, campaign.StartDate, campaign.EndDate } });
            return campaign;
        }, ct);

    /// <summary>A campaign nothing refers to may be deleted; one with leads, opportunities or documents is kept (409).</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, token) ?? throw new NotFoundException("Campaign", id);
            var used = await db.Leads.AnyAsync(l => l.CampaignId == id, token) || await db.Opportunities.AnyAsync(o => o.CampaignId == id, token)
                       || await db.Offers.AnyAsync(o => o.CampaignId == id, token) || await db.Orders.AnyAsync(o => o.CampaignId == id, token)
                       || await db.Invoices.AnyAsync(i => i.CampaignId == id, token);
            if (used) throw new ConflictException($"Campaign '{campaign.Name}' has leads, opportunities or documents attributed to it and cannot be deleted.");
            db.Campaigns.Remove(campaign);
            audit.Record("campaign.deleted", nameof(Campaign), campaign.Id, new { campaign.Name });
            return 0;
        }, ct);

    public async Task<Campaign> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Campaign", id);

    public async Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken ct = default) =>
        (await db.Campaigns.AsNoTracking().ToListAsync(ct)).OrderByDescending(c => c.StartDate).ThenBy(c => c.Name, StringComparer.CurrentCulture).ToList();

    /// <summary>Every campaign with its results (the list page).</summary>
    public async Task<IReadOnlyList<CampaignResults>> ListResultsAsync(CancellationToken ct = default)
    {
        var results = new List<CampaignResults>();
        foreach (var campaign in await ListAsync(ct)) results.Add(await ResultsAsync(campaign, ct));
        return results;
    }

    public async Task<CampaignResults> ResultsAsync(Guid id, CancellationToken ct = default) => await ResultsAsync(await GetAsync(id, ct), ct);

    /// <summary>The campaign of the lead a party was converted from (its first touch), if any.</summary>
    public async Task<Campaign?> FirstTouchAsync(Guid partyId, CancellationToken ct = default) =>
        await (from lead in db.Leads.AsNoTracking()
               where lead.ConvertedPartyId == partyId && lead.CampaignId != null
               orderby lead.ConvertedAt
               join campaign in db.Campaigns.AsNoTracking() on lead.CampaignId equals campaign.Id
               select campaign).FirstOrDefaultAsync(ct);

    private async Task<CampaignResults> ResultsAsync(Campaign campaign, CancellationToken ct)
    {
        var id = campaign.Id;
        var leads = await db.Leads.Where(l => l.CampaignId == id).GroupBy(l => l.Status == LeadStatus.Converted).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var opportunityRows = await (from o in db.Opportunities.AsNoTracking()
                                     where o.CampaignId == id
                                     join s in db.PipelineStages on o.StageId equals s.Id
                                     select new { o.Amount, o.Currency, Won = s.Kind == StageKind.Won }).ToListAsync(ct);
        var won = opportunityRows.Where(o => o.Won).ToList();

        var attributed = db.Invoices.Where(i => i.CampaignId == id);
        var invoiced = await margins.ForAsync(attributed, ct);
        var paid = await margins.ForAsync(PaidChains(attributed), ct);
        var bookCurrency = invoiced.Currency;
        return new CampaignResults(campaign,
            campaign.OwnerUserId is { } owner ? (await opportunities.OwnerNamesAsync(ct)).GetValueOrDefault(owner) : null,
            leads.Sum(l => l.Count), leads.Where(l => l.Key).Sum(l => l.Count),
            opportunityRows.Count, won.Count,
            won.GroupBy(o => o.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new AmountInCurrency(g.Key, g.Sum(o => o.Amount))).ToList(),
            bookCurrency, invoiced.Revenue, invoiced.Margin, paid.Revenue, paid.Margin, paid.RevenueWithoutCost, campaign.Cost,
            Roi(paid.Margin, campaign.Cost));
    }

    /// <summary>ROI in percent, rounded to 0.1: (paid margin − cost) / cost × 100; null when the campaign cost nothing.</summary>
    public static decimal? Roi(decimal paidMargin, decimal cost) =>
        cost == 0 ? null : decimal.Round((paidMargin - cost) / cost * 100m, 1, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The invoices among <paramref name="invoices"/> whose sale is fully paid: the chain they belong to (the VAT or final
    /// invoice and its corrections) has a receivable and no receivable of the chain is still open. A decreasing
    /// correction settles the invoice's receivable, so an invoice of 1000 corrected by −200 and paid 800 is paid.
    /// </summary>
    private IQueryable<Invoice> PaidChains(IQueryable<Invoice> invoices) =>
        invoices.Where(i =>
            db.OpenItems.Any(o => o.Side == OpenItemSide.Receivable && o.SourceId == (i.OriginalInvoiceId ?? i.Id))
            && !db.OpenItems.Any(o => o.Side == OpenItemSide.Receivable && o.OpenAmount != 0
                && db.Invoices.Any(j => j.Id == o.SourceId && (j.Id == (i.OriginalInvoiceId ?? i.Id) || j.OriginalInvoiceId == (i.OriginalInvoiceId ?? i.Id)))));

    private async Task ApplyAsync(Campaign campaign, SaveCampaign c, CancellationToken ct)
    {
        if (c is null) throw new ValidationException("body", "A campaign is required.");
        var bookCurrency = (await company.GetAsync(ct)).BaseCurrency;
        var errors = new ValidationErrors();
        var name = errors.Text(c.Name, "name", 200);
        var notes = errors.Text(c.Notes, "notes", 2000, required: false);
        errors.Require(c.Channel is not null && Enum.IsDefined(c.Channel.Value), "channel", "channel must be Email, Ads, TradeFair, Webinar, Referral or Other.");
        errors.Require(c.Cost is >= 0, "cost", "cost is required and cannot be negative.");
        if (c.Cost is { } cost) errors.Require(Money.RoundToMinorUnits(cost, Common.Currency.Parse(bookCurrency)) == cost, "cost", $"cost has more decimal places than {bookCurrency} allows.");
        errors.Require(c.CostCurrency is null || string.Equals(c.CostCurrency, bookCurrency, StringComparison.OrdinalIgnoreCase), "cost.currency",
            $"A campaign's cost is in the book currency ({bookCurrency}).");
        errors.Require(c.StartDate is not null, "startDate", "startDate is required.");
        errors.Require(c.EndDate is null || c.StartDate is null || c.EndDate >= c.StartDate, "endDate", "endDate cannot be before startDate.");
        if (c.OwnerUserId is { } owner)
            errors.Require(await db.Users.AnyAsync(u => u.Id == owner, ct), "ownerUserId", $"User {owner} does not exist.");
        errors.ThrowIfAny();
        campaign.Name = name!;
        campaign.Channel = c.Channel!.Value;
        campaign.Cost = c.Cost!.Value;
        campaign.CostCurrency = bookCurrency;
        campaign.StartDate = c.StartDate!.Value;
        campaign.EndDate = c.EndDate;
        campaign.OwnerUserId = c.OwnerUserId;
        campaign.Notes = notes;
    }
}
