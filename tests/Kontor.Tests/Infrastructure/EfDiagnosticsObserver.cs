using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Infrastructure;

/// <summary>
/// Listens to EF Core's diagnostic events (every DbContext of the process) from construction to <see cref="Dispose"/>; a
/// subclass picks the events it counts (<see cref="ContextCounter"/> per context, <see cref="DatabaseCommandCounter"/> per database).
/// </summary>
public abstract class EfDiagnosticsObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly List<IDisposable> subscriptions = [];

    protected EfDiagnosticsObserver() => subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name) lock (subscriptions) subscriptions.Add(listener.Subscribe(this));
    }

    public abstract void OnNext(KeyValuePair<string, object?> e);

    public void OnCompleted() { }
    public void OnError(Exception error) { }

    public void Dispose()
    {
        lock (subscriptions) foreach (var s in subscriptions) s.Dispose();
        GC.SuppressFinalize(this);
    }
}
