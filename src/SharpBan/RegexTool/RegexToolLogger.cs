using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SharpBan.Server.Logging;

namespace SharpBan.RegexTool;

/// <summary>
/// The log of <c>sharpban regex -l LEVEL</c> (default CRITICAL: nothing), in fail2ban-regex's formats: up to <c>-v</c>
/// <c>2026-11-26 16:02:38,649 fail2ban.ipdns          [14276]: WARNINGW: message</c>, with <c>-vv</c> the time, thread
/// and short level, with <c>-vvv</c> the milliseconds since start, thread, logger name and short level.
/// </summary>
internal sealed class RegexToolLogger(string category, int level, int verbose, TextWriter writer, Lock gate, TimeProvider time) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && Fail2BanLoggerProvider.LevelOf(logLevel, default) >= level;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (Fail2BanLoggerProvider.LevelOf(logLevel, eventId) < level)
        {
            return;
        }

        var line = Line(logLevel, eventId, formatter(state, exception))!;
        lock (gate)
        {
            writer.WriteLine(line);
        }
    }

    /// <summary>The log line of <paramref name="message"/>, formatted as it would be written; null below the tool's level.</summary>
    public string? Line(LogLevel logLevel, EventId eventId, string message)
    {
        var numeric = Fail2BanLoggerProvider.LevelOf(logLevel, eventId);
        if (numeric < level)
        {
            return null;
        }

        var name = LogSink.NameOfLevel(numeric);
        var thread = Environment.CurrentManagedThreadId.ToString("X", CultureInfo.InvariantCulture);
        var now = time.GetLocalNow();
        return verbose switch
        {
            <= 1 => string.Create(CultureInfo.InvariantCulture,
                $"{now:yyyy-MM-dd HH:mm:ss,fff} {category,-24}[{Environment.ProcessId}]: {name,-7}{name[0]}: {message}"),
            2 => string.Create(CultureInfo.InvariantCulture,
                $" {now:yyyy-MM-dd HH:mm:ss,fff} {thread} {Short(name, 5),-5} {message}"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $" +{(long)(now - StartTime()).TotalMilliseconds,5} {thread} {Short(category, 25),-25} {Short(name, 5),-5} {message}"),
        };
    }

    /// <summary>When the process started (fail2ban's <c>relativeCreated</c> counts from there); read only for <c>-vvv</c>.</summary>
    private static DateTimeOffset StartTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.StartTime.ToUniversalTime();
    }

    private static string Short(string text, int length) => text.Length <= length ? text : text[..length];
}
