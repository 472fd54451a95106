using System.Security.Claims;
using Kontor.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace Kontor.Web.Hosting;

/// <summary>
/// The signed-in user, for the audit trail. API requests carry it on HttpContext; Blazor circuits have
/// no HttpContext after the first render, so there it comes from the circuit's authentication state.
/// </summary>
public sealed class HttpCurrentActor(IHttpContextAccessor http, IServiceProvider services) : ICurrentActor
{
    private ClaimsPrincipal? principal;

    private ClaimsPrincipal User => principal ??= Resolve();

    public Guid? UserId => Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The user's e-mail; "system" for work nobody signed in started (start-up seeding, background jobs).</summary>
    public string Name => User.Identity?.IsAuthenticated == true ? User.FindFirstValue(ClaimTypes.Email) ?? User.Identity.Name ?? "user" : "system";

    private ClaimsPrincipal Resolve()
    {
        if (http.HttpContext is { } context) return context.User;
        try
        {
            var state = services.GetService<AuthenticationStateProvider>()?.GetAuthenticationStateAsync();
            if (state is { IsCompletedSuccessfully: true }) return state.Result.User;
        }
        catch (InvalidOperationException)
        {
            // Outside any request or circuit: the application itself is acting.
        }
        return new ClaimsPrincipal(new ClaimsIdentity());
    }
}
