namespace Kontor.Web.Hosting;

/// <summary>
/// Runs one operation of a Blazor component in a DI scope of its own, as if it were an HTTP request:
/// a fresh KontorDbContext that tracks nothing from earlier operations, sees current data and is never
/// shared by two overlapping operations (a live preview still running when the user clicks Save).
/// A circuit's own scope lives as long as the browser tab, so components must not inject Kontor.Core
/// services that hold a DbContext; they call them through here.
/// The acting user reaches the new scope through <see cref="CircuitUserAccessor"/>.
/// </summary>
public sealed class ScopedServices(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task RunAsync<TService>(Func<TService, Task> operation) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Several services sharing one scope (and one DbContext) for one operation, e.g. loading everything a page shows.</summary>
    public async Task<TResult> RunAsync<TResult>(Func<IServiceProvider, Task<TResult>> operation)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider);
    }
}
