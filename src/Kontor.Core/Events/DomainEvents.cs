using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Events;

/// <summary>A fact that happened inside one module and that other modules react to in the same transaction.</summary>
public interface IDomainEvent;

public interface IDomainEventHandler<in TEvent> where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent domainEvent, CancellationToken ct);
}

/// <summary>
/// In-process, synchronous dispatch: handlers run inside the caller's unit of work, so a handler that
/// throws rolls the whole change back (an invoice is never issued without its journal entry).
/// </summary>
public sealed class DomainEventPublisher(IServiceProvider services)
{
    public async Task PublishAsync<TEvent>(TEvent domainEvent, CancellationToken ct) where TEvent : IDomainEvent
    {
        foreach (var handler in services.GetServices<IDomainEventHandler<TEvent>>())
            await handler.HandleAsync(domainEvent, ct);
    }
}
