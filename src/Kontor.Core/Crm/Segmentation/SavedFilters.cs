using System.Text.Json;
using Kontor.Common;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Segmentation;

/// <summary>A customer-list filter saved under a name by a user; shared ones are visible to every user.</summary>
public sealed class SavedFilter
{
    public const int MaxNameLength = 100;
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid OwnerUserId { get; init; }
    public string OwnerName { get; init; } = "";
    public bool Shared { get; set; }
    /// <summary>The <see cref="PartyFilter"/> as JSON (normalised).</summary>
    public string FilterJson { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();

    public PartyFilter Filter => PartyFilter.FromJson(FilterJson);
}

public sealed record SaveFilter(string? Name, bool Shared, PartyFilter? Filter);

/// <summary>Saved filters: a user sees their own and the shared ones; only the owner changes or deletes one.</summary>
public sealed class SavedFilterService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, ICurrentActor actor, TimeProvider clock)
{
    public async Task<IReadOnlyList<SavedFilter>> ListAsync(CancellationToken ct = default)
    {
        var me = actor.UserId;
        return await db.Set<SavedFilter>().AsNoTracking().Where(f => f.OwnerUserId == me || f.Shared)
            .OrderBy(f => f.Name).ThenBy(f => f.Id).ToListAsync(ct);
    }

    public async Task<SavedFilter> GetAsync(Guid id, CancellationToken ct = default)
    {
        var me = actor.UserId;
        return await db.Set<SavedFilter>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id && (f.OwnerUserId == me || f.Shared), ct)
               ?? throw new NotFoundException("SavedFilter", id);
    }

    public async Task<SavedFilter> CreateAsync(SaveFilter command, CancellationToken ct = default)
    {
        var owner = actor.UserId ?? throw new ForbiddenException(Policies.Sell, "Only a signed-in user saves filters.");
        var (name, json) = Validate(command);
        var saved = new SavedFilter
        {
            Name = name, OwnerUserId = owner, OwnerName = actor.Name, Shared = command.Shared, FilterJson = json,
            CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow(),
        };
        await unitOfWork.ExecuteAsync(async token =>
        {
            await RefuseDuplicateAsync(owner, name, null, token);
            db.Set<SavedFilter>().Add(saved);
            audit.Record("saved-filter.created", nameof(SavedFilter), saved.Id, new { saved.Name, saved.Shared, filter = json });
            return 0;
        }, ct);
        return saved;
    }

    public async Task<SavedFilter> UpdateAsync(Guid id, SaveFilter command, CancellationToken ct = default)
    {
        var (name, json) = Validate(command);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var saved = await OwnAsync(id, token);
            await RefuseDuplicateAsync(saved.OwnerUserId, name, id, token);
            saved.Name = name;
            saved.Shared = command.Shared;
            saved.FilterJson = json;
            saved.UpdatedAt = clock.GetUtcNow();
            saved.Version = Guid.NewGuid();
            audit.Record("saved-filter.updated", nameof(SavedFilter), id, new { saved.Name, saved.Shared, filter = json });
            return saved;
        }, ct);
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var saved = await OwnAsync(id, token);
            db.Set<SavedFilter>().Remove(saved);
            audit.Record("saved-filter.deleted", nameof(SavedFilter), id, new { saved.Name });
            return 0;
        }, ct);

    /// <summary>Another user's shared filter is readable but not changeable (403); a private one of someone else does not exist for you (404).</summary>
    private async Task<SavedFilter> OwnAsync(Guid id, CancellationToken ct)
    {
        var saved = await db.Set<SavedFilter>().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (saved is null || (saved.OwnerUserId != actor.UserId && !saved.Shared)) throw new NotFoundException("SavedFilter", id);
        if (saved.OwnerUserId != actor.UserId) throw new ForbiddenException(Policies.Sell, $"Only {saved.OwnerName} changes or deletes the saved filter '{saved.Name}'.");
        return saved;
    }

    private static (string Name, string Json) Validate(SaveFilter command)
    {
        var errors = new ValidationErrors();
        var name = errors.Text(command.Name, "name", SavedFilter.MaxNameLength);
        var filter = errors.Try(() => (command.Filter ?? new PartyFilter()).Normalize("filter."));
        errors.ThrowIfAny();
        return (name!, filter!.ToJson());
    }

    private async Task RefuseDuplicateAsync(Guid owner, string name, Guid? except, CancellationToken ct)
    {
        if (await db.Set<SavedFilter>().AnyAsync(f => f.OwnerUserId == owner && f.Name == name && f.Id != except, ct))
            throw new ConflictException($"You already have a saved filter named '{name}'.");
    }
}
