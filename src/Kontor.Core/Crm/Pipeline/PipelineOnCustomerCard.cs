using Kontor.CustomerCard;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Pipeline;

/// <summary>The card's "open opportunities": those of the party in a stage of kind Open.</summary>
public sealed class OpenOpportunityCounter(KontorDbContext db) : IOpenOpportunityCounter
{
    public Task<int> CountOpenAsync(Guid partyId, CancellationToken ct) =>
        db.Opportunities.AsNoTracking()
            .Where(o => o.PartyId == partyId)
            .Join(db.PipelineStages.AsNoTracking(), o => o.StageId, s => s.Id, (o, s) => s.Kind)
            .CountAsync(kind => kind == StageKind.Open, ct);
}

/// <summary>
/// The pipeline on the customer timeline: one entry per stage change of the party's opportunities (the first one is the
/// opportunity's creation), so "moved to Won" shows where the salesperson and the accountant both look.
/// </summary>
public sealed class OpportunityTimelineSource(KontorDbContext db) : ITimelineSource
{
    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.Opportunity];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var query =
            from change in db.OpportunityStageChanges.AsNoTracking()
            join opportunity in db.Opportunities.AsNoTracking() on change.OpportunityId equals opportunity.Id
            join stage in db.PipelineStages.AsNoTracking() on change.ToStageId equals stage.Id
            where opportunity.PartyId == partyId
            select new { change.Id, change.At, change.FromStageId, Stage = stage.Name, stage.Kind, opportunity.LostReason, OpportunityId = opportunity.Id, opportunity.Name, opportunity.Amount, opportunity.Currency };
        if (atOrBefore is { } at) query = query.Where(c => c.At <= at);
        var rows = await query.OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Take(take).ToListAsync(ct);
        return rows.Select(c => new TimelineEntry(c.At, null, TimelineKinds.Opportunity, c.Name, null, c.Amount, c.Currency, $"/crm/opportunities/{c.OpportunityId}", c.Id)
            .Worded(summary: (c.FromStageId is null, c.Kind == StageKind.Lost ? c.LostReason : null) switch
            {
                (true, null) => new TimelineText("New: {0}", c.Stage),
                (true, { } reason) => new TimelineText("New: {0} ({1})", c.Stage, reason),
                (false, null) => new TimelineText("→ {0}", c.Stage),
                (false, { } reason) => new TimelineText("→ {0} ({1})", c.Stage, reason),
            })).ToList();
    }
}
