using Kontor.Orders;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.CustomerCard;

/// <summary>
/// Returns and refunds of the party's orders on its timeline (the correction invoice and the refund payment appear through the
/// invoice and payment sources): "ZAM/… — return", with the credited gross as a negative amount and the order as the link.
/// </summary>
public sealed class OrderReturnTimelineSource(KontorDbContext db) : ITimelineSource
{
    public IReadOnlyCollection<string> Kinds { get; } = [TimelineKinds.Return];

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(Guid partyId, DateTimeOffset? atOrBefore, int take, IReadOnlySet<string> kinds, CancellationToken ct)
    {
        var query = db.Set<OrderReturn>().AsNoTracking().Where(r => r.PartyId == partyId);
        if (atOrBefore is { } at) query = query.Where(r => r.CreatedAt <= at);
        var rows = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(take)
            .Join(db.Orders, r => r.OrderId, o => o.Id, (r, o) => new { r.Id, r.OrderId, r.CreatedAt, r.Date, r.Reason, r.CreditedGross, r.Currency, r.Restocked, r.CancelledOrder, o.Number })
            .ToListAsync(ct);
        return rows.Select(r => new TimelineEntry(r.CreatedAt, r.Date, TimelineKinds.Return, "", r.Reason, -r.CreditedGross, r.Currency, $"/orders/{r.OrderId}", r.Id)
            .Worded(title: r.CancelledOrder ? new TimelineText("{0}: refunded and cancelled", r.Number)
                : r.Restocked ? new TimelineText("{0}: goods returned", r.Number)
                : new TimelineText("{0}: refunded without return", r.Number))).ToList();
    }
}
