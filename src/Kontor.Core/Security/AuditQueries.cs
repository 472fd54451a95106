using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Security;

public sealed class AuditQueries(KontorDbContext db)
{
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? entityType, string? entityId, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(entityType)) query = query.Where(a => a.EntityType == entityType);
        if (!string.IsNullOrWhiteSpace(entityId)) query = query.Where(a => a.EntityId == entityId);
        return await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 1000)).ToListAsync(ct);
    }
}
