using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Kontor.Web.Hosting;

/// <summary>
/// The user of the Blazor circuit whose inbound activity (a click, a keystroke, the first render) is
/// being handled right now, for code running in a DI scope of its own: such a scope has no HttpContext
/// and an empty <see cref="AuthenticationStateProvider"/>. An <see cref="AsyncLocal{T}"/> flows with the
/// activity's async work and never leaks into other circuits or HTTP requests.
/// See "Access server-side Blazor services from a different DI scope" in the ASP.NET Core docs.
/// </summary>
public sealed class CircuitUserAccessor
{
    private static readonly AsyncLocal<ClaimsPrincipal?> current = new();

    public ClaimsPrincipal? User
    {
        get => current.Value;
        internal set => current.Value = value;
    }
}

/// <summary>Registered scoped, so it lives in the circuit's own scope and sees the circuit's authentication state.</summary>
public sealed class CircuitUserHandler(AuthenticationStateProvider authentication, CircuitUserAccessor accessor) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            accessor.User = await CircuitUserAsync();
            try { await next(context); }
            finally { accessor.User = null; }
        };

    private async Task<ClaimsPrincipal?> CircuitUserAsync()
    {
        try
        {
            return (await authentication.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            // The circuit has no authentication state yet; whatever runs now acts as nobody in particular.
            return null;
        }
    }
}

public static class CircuitScopeRegistration
{
    /// <summary>Per-operation DI scopes for components, and the circuit's user carried into them.</summary>
    public static IServiceCollection AddCircuitScopedServices(this IServiceCollection services)
    {
        services.AddSingleton<CircuitUserAccessor>();
        services.AddScoped<CircuitHandler, CircuitUserHandler>();
        services.AddSingleton<ScopedServices>();
        return services;
    }
}
