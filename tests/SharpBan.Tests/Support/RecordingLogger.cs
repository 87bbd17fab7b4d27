using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SharpBan.Tests.Support;

/// <summary>Keeps every formatted log message with its level (from any thread).</summary>
internal sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Messages.Enqueue((logLevel, formatter(state, exception)));

    public bool Has(LogLevel level, string text) => Messages.Any(m => m.Level == level && m.Message.Contains(text, StringComparison.Ordinal));
}
