using System.ComponentModel;
using Kontor.Common;
using Kontor.Crm.Pipeline;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record CampaignRequest(string? Name, CampaignChannel? Channel, MoneyDto? Cost, DateOnly? StartDate, DateOnly? EndDate, Guid? OwnerUserId, string? Notes,
    Guid? Version = null)
{
    public SaveCampaign ToCommand()
    {
        var cost = Cost?.Parse("cost");
        return new(Name, Channel, cost?.Amount, cost?.Currency, StartDate, EndDate, OwnerUserId, Notes);
    }
}

public sealed record CampaignDto(Guid Id, string Name, CampaignChannel Channel, MoneyDto Cost, DateOnly StartDate, DateOnly? EndDate, Guid? OwnerUserId,
    string? Notes, Guid Version)
{
    public static CampaignDto From(Campaign c) => new(c.Id, c.Name, c.Channel, MoneyDto.From(c.Cost, c.CostCurrency), c.StartDate, c.EndDate, c.OwnerUserId, c.Notes, c.Version);
}

[Description("A campaign's results in the book currency: revenue = net booked on sales revenue by issued invoices attributed to it (with corrections); " +
             "paid* = only invoices whose receivable (with their corrections) is fully settled; margin from product unit costs; roiPercent = (paidMargin − cost) / cost × 100, null without cost.")]
public sealed record CampaignResultsDto(CampaignDto Campaign, string? OwnerName, int Leads, int ConvertedLeads, int Opportunities, int WonDeals,
    IReadOnlyList<MoneyDto> WonAmounts, MoneyDto InvoicedRevenue, MoneyDto InvoicedMargin, MoneyDto PaidRevenue, MoneyDto PaidMargin,
    MoneyDto PaidRevenueWithoutCost, MoneyDto Cost, decimal? RoiPercent)
{
    public static CampaignResultsDto From(CampaignResults r) => new(CampaignDto.From(r.Campaign), r.OwnerName, r.Leads, r.ConvertedLeads, r.Opportunities, r.WonDeals,
        r.WonAmounts.Select(a => MoneyDto.From(a.Amount, a.Currency)).ToList(),
        MoneyDto.From(r.InvoicedRevenue, r.Currency), MoneyDto.From(r.InvoicedMargin, r.Currency), MoneyDto.From(r.PaidRevenue, r.Currency),
        MoneyDto.From(r.PaidMargin, r.Currency), MoneyDto.From(r.PaidRevenueWithoutCost, r.Currency), MoneyDto.From(r.Cost, r.Campaign.CostCurrency), r.RoiPercent);
}

public sealed record LeadRequest(string? CompanyName, string? FirstName, string? LastName, string? Email, string? Phone, string? TaxId, string? Source,
    Guid? CampaignId, Guid? OwnerUserId, string? Notes, Guid? Version = null)
{
    public SaveLead ToCommand() => new(CompanyName, FirstName, LastName, Email, Phone, TaxId, Source, CampaignId, OwnerUserId, Notes);
}

public sealed record LeadStatusRequest(LeadStatus? Status, string? Reason, Guid? Version);

public sealed record NewOpportunityRequest(string? Name, MoneyDto? Amount, DateOnly? ExpectedCloseDate, Guid? StageId);

public sealed record ConvertLeadRequest(NewOpportunityRequest? CreateOpportunity)
{
    public NewOpportunityInput? ToInput()
    {
        if (CreateOpportunity is not { } o) return null;
        var amount = o.Amount?.Parse("createOpportunity.amount");
        return new(o.Name, amount?.Amount, amount?.Currency, o.ExpectedCloseDate, o.StageId);
    }
}

public sealed record LeadDto(Guid Id, string Name, string? CompanyName, string? FirstName, string? LastName, string? Email, string? Phone, string? TaxId,
    string? Source, Guid? CampaignId, Guid? OwnerUserId, LeadStatus Status, string? DisqualifiedReason, string? Notes,
    Guid? ConvertedPartyId, Guid? ConvertedContactId, Guid? ConvertedOpportunityId, DateTimeOffset? ConvertedAt, DateTimeOffset CreatedAt, Guid Version)
{
    public static LeadDto From(Lead l) => new(l.Id, l.DisplayName, l.CompanyName, l.FirstName, l.LastName, l.Email, l.Phone, l.TaxId, l.Source, l.CampaignId,
        l.OwnerUserId, l.Status, l.DisqualifiedReason, l.Notes, l.ConvertedPartyId, l.ConvertedContactId, l.ConvertedOpportunityId, l.ConvertedAt, l.CreatedAt, l.Version);
}

public sealed record ConversionResultResponse(LeadDto Lead, Guid PartyId, Guid? ContactId, Guid OpportunityId);

public sealed record OpportunityRequest(string? Name, Guid PartyId, Guid? ContactId, Guid? OwnerUserId, MoneyDto? Amount, int? Probability,
    DateOnly? ExpectedCloseDate, Guid? StageId, Guid? CampaignId, string? Notes, IReadOnlyList<InvoiceLineInput>? Lines, Guid? Version = null)
{
    public SaveOpportunity ToCommand()
    {
        var amount = Amount is null ? ((decimal, string)?)null : Amount.Parse("amount");
        return new(Name, PartyId, ContactId, OwnerUserId, amount?.Item1, amount?.Item2 ?? Amount?.Currency, Probability, ExpectedCloseDate, StageId, CampaignId, Notes, Lines);
    }
}

public sealed record StageMoveRequest(Guid? StageId, Guid? Version, string? LostReason);
public sealed record LoseRequest(string? Reason, Guid? Version);
public sealed record WinRequest(WonDocument? Create, Guid? Version);
public sealed record WinResponse(OpportunityDto Opportunity, string DocumentType, Guid DocumentId, string? Number);

public sealed record StageDto(Guid Id, string Name, int Position, int Probability, StageKind Kind)
{
    public static StageDto From(PipelineStage s) => new(s.Id, s.Name, s.Position, s.Probability, s.Kind);
}

public sealed record StageChangeDto(Guid? FromStageId, string? FromStage, Guid ToStageId, string ToStage, DateTimeOffset At, string By);

public sealed record OpportunityLineDto(int Position, Guid? ProductId, string Description, string Unit, decimal Quantity, decimal UnitPrice, decimal DiscountPercent, string? VatRateCode);

public sealed record OpportunityDto(Guid Id, string Name, Guid PartyId, string PartyName, Guid? ContactId, Guid? OwnerUserId, string? OwnerName, MoneyDto Amount,
    int Probability, DateOnly ExpectedCloseDate, StageDto Stage, Guid? CampaignId, Guid? LeadId, string? LostReason, string? Notes,
    IReadOnlyList<OpportunityLineDto> Lines, IReadOnlyList<StageChangeDto> History, IReadOnlyList<DocumentLinkDto> Links,
    DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, Guid Version)
{
    public static OpportunityDto From(OpportunityView v)
    {
        var o = v.Opportunity;
        return new(o.Id, o.Name, o.PartyId, v.PartyName, o.ContactId, o.OwnerUserId, v.OwnerName, MoneyDto.From(o.Amount, o.Currency), o.Probability,
            o.ExpectedCloseDate, StageDto.From(v.Stage), o.CampaignId, o.LeadId, o.LostReason, o.Notes,
            o.Lines.OrderBy(l => l.Position).Select(l => new OpportunityLineDto(l.Position, l.ProductId, l.Description, l.Unit, l.Quantity, l.UnitPrice, l.DiscountPercent,
                l.VatRateCode == "" ? null : l.VatRateCode)).ToList(),
            v.History.Select(h => new StageChangeDto(h.FromStageId, h.FromStage, h.ToStageId, h.ToStage, h.At, h.ByName)).ToList(),
            v.Links.Select(DocumentLinkDto.From).ToList(), o.CreatedAt, o.ClosedAt, o.Version);
    }
}

public sealed record BoardCardDto(Guid Id, string Name, Guid PartyId, string PartyName, MoneyDto Amount, int Probability, DateOnly ExpectedCloseDate,
    Guid? OwnerUserId, string? OwnerName, Guid Version);
public sealed record CurrencyTotalDto(MoneyDto Amount, MoneyDto Weighted);
public sealed record BoardColumnDto(StageDto Stage, IReadOnlyList<BoardCardDto> Cards, IReadOnlyList<CurrencyTotalDto> Totals)
{
    public static BoardColumnDto From(BoardColumn c) => new(StageDto.From(c.Stage),
        c.Cards.Select(x => new BoardCardDto(x.Id, x.Name, x.PartyId, x.PartyName, MoneyDto.From(x.Amount, x.Currency), x.Probability, x.ExpectedCloseDate,
            x.OwnerUserId, x.OwnerName, x.Version)).ToList(),
        c.Totals.Select(t => new CurrencyTotalDto(MoneyDto.From(t.Amount, t.Currency), MoneyDto.From(t.Weighted, t.Currency))).ToList());
}

[Description("One owner × month of expected close × currency: open-stage opportunities, Σ amount and Σ amount × probability (weighted).")]
public sealed record ForecastRowDto(Guid? OwnerUserId, string OwnerName, string Month, int Count, MoneyDto Amount, MoneyDto Weighted)
{
    public static ForecastRowDto From(ForecastRow r) => new(r.OwnerUserId, r.OwnerName, $"{r.Year:D4}-{r.Month:D2}", r.Count,
        MoneyDto.From(r.Amount, r.Currency), MoneyDto.From(r.Weighted, r.Currency));
}

public sealed record StagesRequest(IReadOnlyList<StageInput?>? Stages);

/// <summary>Leads, opportunities and the pipeline, campaigns (docs/crm.md).</summary>
public static class PipelineEndpoints
{
    public static void MapPipelineApi(this IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup("/api/campaigns").WithTags("Campaigns").RequireAuthorization(Policies.Sell);
        campaigns.MapGet("", async (CampaignService service, CancellationToken ct) =>
                TypedResults.Ok((await service.ListResultsAsync(ct)).Select(CampaignResultsDto.From).ToList()))
            .WithSummary("Campaigns with their results, newest start first.");
        campaigns.MapGet("/{id:guid}", async (Guid id, CampaignService service, CancellationToken ct) => TypedResults.Ok(CampaignDto.From(await service.GetAsync(id, ct))));
        campaigns.MapGet("/{id:guid}/results", async (Guid id, CampaignService service, CancellationToken ct) =>
                TypedResults.Ok(CampaignResultsDto.From(await service.ResultsAsync(id, ct))))
            .WithSummary("Leads, converted leads, opportunities, won deals, invoiced and paid revenue and margin, cost and ROI (docs/crm.md, Campaigns).");
        campaigns.MapGet("/first-touch", async (Guid partyId, CampaignService service, CancellationToken ct) =>
                await service.FirstTouchAsync(partyId, ct) is { } c ? Results.Ok(CampaignDto.From(c)) : Results.NoContent())
            .WithSummary("The campaign of the lead the party was converted from (204 when none).");
        campaigns.MapPost("", async (CampaignRequest request, CampaignService service, CancellationToken ct) =>
        {
            var campaign = await service.CreateAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/campaigns/{campaign.Id}", CampaignDto.From(campaign));
        }).RequireAuthorization(Policies.ManageCampaigns).WithSummary("Create a campaign; cost in the book currency (Manager, Admin).");
        campaigns.MapPut("/{id:guid}", async (Guid id, CampaignRequest request, CampaignService service, CancellationToken ct) =>
                TypedResults.Ok(CampaignDto.From(await service.UpdateAsync(id, request.ToCommand(), request.Version, ct))))
            .RequireAuthorization(Policies.ManageCampaigns);
        campaigns.MapDelete("/{id:guid}", async (Guid id, CampaignService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.ManageCampaigns).WithSummary("Delete a campaign nothing is attributed to (409 otherwise).");

        var leads = app.MapGroup("/api/leads").WithTags("Leads").RequireAuthorization(Policies.Sell);
        leads.MapGet("", async (LeadStatus? status, Guid? ownerUserId, Guid? campaignId, string? search, int? skip, int? take, LeadService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(status, ownerUserId, campaignId, search, skip ?? 0, take ?? 100, ct)));
        leads.MapGet("/{id:guid}", async (Guid id, LeadService service, CancellationToken ct) => TypedResults.Ok(LeadDto.From(await service.GetAsync(id, ct))));
        leads.MapPost("", async (LeadRequest request, LeadService service, CancellationToken ct) =>
        {
            var lead = await service.CreateAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/leads/{lead.Id}", LeadDto.From(lead));
        });
        leads.MapPut("/{id:guid}", async (Guid id, LeadRequest request, LeadService service, CancellationToken ct) =>
            TypedResults.Ok(LeadDto.From(await service.UpdateAsync(id, request.ToCommand(), request.Version, ct))));
        leads.MapPost("/{id:guid}/status", async (Guid id, LeadStatusRequest request, LeadService service, CancellationToken ct) =>
                TypedResults.Ok(LeadDto.From(await service.ChangeStatusAsync(id, request?.Status, request?.Reason, request?.Version, ct))))
            .WithSummary("New, Contacted, Qualified, or Disqualified with a reason; a converted lead keeps its status (409).");
        leads.MapPost("/{id:guid}/convert", async (Guid id, ConvertLeadRequest request, LeadService service, CancellationToken ct) =>
        {
            var result = await service.ConvertAsync(id, request?.ToInput(), ct);
            return TypedResults.Ok(new ConversionResultResponse(LeadDto.From(result.Lead), result.PartyId, result.ContactId, result.OpportunityId));
        }).WithSummary("One transaction: party (company with a company name or NIP, else person) + contact + opportunity; the lead becomes Converted. Twice → 409.");

        var opportunities = app.MapGroup("/api/opportunities").WithTags("Pipeline").RequireAuthorization(Policies.Sell);
        opportunities.MapPost("", async (OpportunityRequest request, OpportunityService service, CancellationToken ct) =>
        {
            var opportunity = await service.CreateAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/opportunities/{opportunity.Id}", OpportunityDto.From(await service.GetAsync(opportunity.Id, ct)));
        }).WithSummary("Create an opportunity; stage defaults to the first open stage and probability to the stage's; amount is the lines' net when lines are given.");
        opportunities.MapGet("/{id:guid}", async (Guid id, OpportunityService service, CancellationToken ct) => TypedResults.Ok(OpportunityDto.From(await service.GetAsync(id, ct))));
        opportunities.MapPut("/{id:guid}", async (Guid id, OpportunityRequest request, OpportunityService service, CancellationToken ct) =>
        {
            await service.UpdateAsync(id, request.ToCommand(), request.Version, ct);
            return TypedResults.Ok(OpportunityDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Change an opportunity (not its stage: PATCH /stage).");
        opportunities.MapPatch("/{id:guid}/stage", async (Guid id, StageMoveRequest request, OpportunityService service, CancellationToken ct) =>
        {
            if (request?.StageId is not { } stageId) throw new ValidationException("stageId", "stageId is required.");
            await service.MoveAsync(id, stageId, request.Version, request.LostReason, ct);
            return TypedResults.Ok(OpportunityDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Move to a stage; version = the version last read (409 when stale); a Lost stage needs lostReason. Recorded in the stage history and audited.");
        opportunities.MapPost("/{id:guid}/win", async (Guid id, WinRequest request, OpportunityService service, CancellationToken ct) =>
        {
            if (request?.Create is not { } create) throw new ValidationException("create", "create must be \"offer\" or \"order\".");
            var result = await service.WinAsync(id, create, request.Version, ct);
            return TypedResults.Ok(new WinResponse(OpportunityDto.From(await service.GetAsync(id, ct)), result.DocumentType, result.DocumentId, result.Number));
        }).WithSummary("Won: moves to the Won stage and makes an offer draft or an order (credit control applies) of the lines, carrying the campaign; once.");
        opportunities.MapPost("/{id:guid}/lose", async (Guid id, LoseRequest request, OpportunityService service, CancellationToken ct) =>
        {
            await service.LoseAsync(id, request?.Reason, request?.Version, ct);
            return TypedResults.Ok(OpportunityDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Lost, with a reason (400 without).");

        var pipeline = app.MapGroup("/api/pipeline").WithTags("Pipeline").RequireAuthorization(Policies.Sell);
        pipeline.MapGet("/board", async (Guid? ownerUserId, OpportunityService service, CancellationToken ct) =>
            TypedResults.Ok((await service.BoardAsync(ownerUserId, ct)).Select(BoardColumnDto.From).ToList()));
        pipeline.MapGet("/forecast", async (DateOnly? from, DateOnly? to, Guid? ownerUserId, OpportunityService service, CancellationToken ct) =>
                TypedResults.Ok((await service.ForecastAsync(from, to, ownerUserId, ct)).Select(ForecastRowDto.From).ToList()))
            .WithSummary("Weighted pipeline per owner and month of expected close (open stages): count, amount, Σ amount × probability.");
        pipeline.MapGet("/stages", async (PipelineStageService service, CancellationToken ct) =>
            TypedResults.Ok((await service.ListAsync(false, ct)).Select(StageDto.From).ToList()));
        pipeline.MapPut("/stages", async (StagesRequest request, PipelineStageService service, CancellationToken ct) =>
                TypedResults.Ok((await service.SaveAsync(request?.Stages, ct)).Select(StageDto.From).ToList()))
            .RequireAuthorization(Policies.ManageCampaigns)
            .WithSummary("Replace the stage list (order = list order); stages left out are deleted, or archived when history refers to them (Manager, Admin).");
        pipeline.MapGet("/users", async (OpportunityService service, CancellationToken ct) => TypedResults.Ok(await service.UsersAsync(ct)));
    }
}
