using System.Security.Claims;
using Kontor.Security;
using Kontor.Web.Hosting;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.UiTests;

/// <summary>
/// The audit trail's user inside a per-operation DI scope, without any HttpContext: the browser journey
/// proves the outcome, but there the SignalR connection's HttpContext can stand in for the circuit's user,
/// so the mechanism that must carry it (circuit handler → AsyncLocal accessor → actor) is checked alone here.
/// </summary>
public sealed class CircuitUserTests
{
    [Fact]
    public async Task A_scope_created_during_a_circuit_activity_acts_as_the_circuit_user_and_only_during_it()
    {
        await using var root = Services();
        var userId = Guid.NewGuid();
        var handler = InboundHandler(root, User(userId, "anna@firma.example"), async () =>
        {
            await Task.Yield(); // the user must survive awaits inside the component's work
            await using var operation = root.CreateAsyncScope();
            var actor = operation.ServiceProvider.GetRequiredService<ICurrentActor>();
            Assert.Equal("anna@firma.example", actor.Name);
            Assert.Equal(userId, actor.UserId);
        });

        await handler(null!);

        await using var afterwards = root.CreateAsyncScope();
        var outside = afterwards.ServiceProvider.GetRequiredService<ICurrentActor>();
        Assert.Equal("system", outside.Name);
        Assert.Null(outside.UserId);
    }

    [Fact]
    public async Task Two_circuits_active_at_the_same_time_each_see_their_own_user()
    {
        await using var root = Services();
        var bothInside = new Barrier(2);
        var seen = new string[2];
        Func<CircuitInboundActivityContext, Task> Activity(int index, string email) => InboundHandler(root, User(Guid.NewGuid(), email), () => Task.Run(() =>
        {
            bothInside.SignalAndWait(TimeSpan.FromSeconds(10));
            using var operation = root.CreateScope();
            seen[index] = operation.ServiceProvider.GetRequiredService<ICurrentActor>().Name;
        }));

        await Task.WhenAll(Activity(0, "first@firma.example")(null!), Activity(1, "second@firma.example")(null!));

        Assert.Equal(["first@firma.example", "second@firma.example"], seen);
    }

    [Fact]
    public async Task A_circuit_without_authentication_state_acts_as_the_system_instead_of_failing()
    {
        await using var root = Services();
        string? name = null;
        var handler = new CircuitUserHandler(new NoStateYet(), root.GetRequiredService<CircuitUserAccessor>())
            .CreateInboundActivityHandler(_ =>
            {
                using var operation = root.CreateScope();
                name = operation.ServiceProvider.GetRequiredService<ICurrentActor>().Name;
                return Task.CompletedTask;
            });

        await handler(null!);

        Assert.Equal("system", name);
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentActor, HttpCurrentActor>();
        services.AddCircuitScopedServices();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private static Func<CircuitInboundActivityContext, Task> InboundHandler(IServiceProvider root, ClaimsPrincipal user, Func<Task> work) =>
        new CircuitUserHandler(new FixedUser(user), root.GetRequiredService<CircuitUserAccessor>()).CreateInboundActivityHandler(_ => work());

    private static ClaimsPrincipal User(Guid id, string email) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString()), new Claim(ClaimTypes.Email, email)], "test"));

    private sealed class FixedUser(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private sealed class NoStateYet : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            throw new InvalidOperationException("GetAuthenticationStateAsync was called before SetAuthenticationState.");
    }
}
