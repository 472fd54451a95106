using System.Security.Claims;
using Kontor.Security;

namespace Kontor.Web.Hosting;

/// <summary>
/// The signed-in user, for the audit trail. Inside a Blazor circuit it is the circuit's user, carried
/// by <see cref="CircuitUserAccessor"/> into the per-operation scope (which has no HttpContext of its own;
/// the connection's HttpContext, where there is one, is not the source of truth for a circuit). API
/// requests and prerendering carry it on HttpContext. Otherwise the application itself is acting.
/// </summary>
public sealed class HttpCurrentActor(IHttpContextAccessor http, CircuitUserAccessor circuit) : ICurrentActor
{
    private ClaimsPrincipal User => circuit.User ?? http.HttpContext?.User ?? Nobody;

    private static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity());

    public Guid? UserId => IsSignedIn ? Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null : null;

    /// <summary>The user's e-mail; "system" for work nobody signed in started (start-up seeding, background jobs).</summary>
    public string Name => IsSignedIn ? User.FindFirstValue(ClaimTypes.Email) ?? User.Identity!.Name ?? "user" : "system";

    public bool IsInRole(string role) => IsSignedIn && User.IsInRole(role);

    private bool IsSignedIn => User.Identity?.IsAuthenticated == true;
}
