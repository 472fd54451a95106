using System.Text.Json;
using Kontor.Persistence;

namespace Kontor.Security;

/// <summary>Who is acting. The web host supplies the signed-in user; background jobs supply a system actor.</summary>
public interface ICurrentActor
{
    Guid? UserId { get; }
    string Name { get; }
    /// <summary>Whether the acting user has the role; work nobody signed in started has none.</summary>
    bool IsInRole(string role) => false;

    /// <summary>Whether the acting user's roles grant the policy (<see cref="Policies.RolesByPolicy"/>).</summary>
    bool HasPermission(string policy) => Policies.RolesByPolicy.TryGetValue(policy, out var roles) && roles.Any(IsInRole);
}

public sealed class SystemActor : ICurrentActor
{
    public Guid? UserId => null;
    public string Name => "system";
}

public sealed class AuditEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DateTimeOffset At { get; init; }
    public Guid? UserId { get; init; }
    public string UserName { get; init; } = "";
    public string Action { get; init; } = "";
    public string EntityType { get; init; } = "";
    public string EntityId { get; init; } = "";
    /// <summary>JSON: what changed (before/after where there is a before).</summary>
    public string Details { get; init; } = "{}";
}

/// <summary>
/// Records state changes into the same unit of work as the change itself, so an audit line exists
/// exactly when the change was committed.
/// </summary>
public sealed class AuditTrail(KontorDbContext db, ICurrentActor actor, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Record(string action, string entityType, object entityId, object? details = null)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            UserId = actor.UserId,
            UserName = actor.Name,
            Action = action,
            EntityType = entityType,
            EntityId = entityId.ToString() ?? "",
            Details = details is null ? "{}" : JsonSerializer.Serialize(details, Json),
        });
    }
}
