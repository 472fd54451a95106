using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kontor.Tests.Infrastructure;

/// <summary>
/// The test host's errors with their exceptions, so a test that gets a 500 can say why: the answer itself only carries a
/// trace id, and the host's console is not shown by the test runner.
/// </summary>
public sealed class ServerErrors : ILoggerProvider
{
    private readonly ConcurrentQueue<string> errors = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>The last few errors, newest last, or a note that there were none.</summary>
    public string Recent(int count = 3)
    {
        var all = errors.ToArray();
        return all.Length == 0 ? "(the host logged no error)" : string.Join("\n---\n", all.TakeLast(count));
    }

    public void Dispose() { }

    private sealed class Logger(ServerErrors owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            owner.errors.Enqueue($"{category}: {formatter(state, exception)}\n{exception}");
            while (owner.errors.Count > 20) owner.errors.TryDequeue(out _);
        }
    }
}
