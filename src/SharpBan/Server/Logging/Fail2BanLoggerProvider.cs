using Microsoft.Extensions.Logging;

namespace SharpBan.Server.Logging;

/// <summary>Routes <see cref="ILogger"/> calls to the <see cref="LogSink"/>, mapping levels onto fail2ban's.</summary>
internal sealed class Fail2BanLoggerProvider(LogSink sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(sink, categoryName);

    public void Dispose()
    {
    }

    /// <summary>
    /// fail2ban's numeric level of a message: NOTICE for Information events named <c>Notice…</c>, MSG (18, below INFO)
    /// for those named <c>Msg…</c>.
    /// </summary>
    public static int LevelOf(LogLevel level, EventId eventId) => level switch
    {
        LogLevel.Critical => 50,
        LogLevel.Error => 40,
        LogLevel.Warning => 30,
        LogLevel.Information when eventId.Name?.StartsWith("Notice", StringComparison.Ordinal) == true => 25,
        LogLevel.Information when eventId.Name?.StartsWith("Msg", StringComparison.Ordinal) == true => 18,
        LogLevel.Information => 20,
        LogLevel.Debug => 10,
        _ => 5,
    };

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        private readonly bool _framework = category.StartsWith("Microsoft.", StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel != LogLevel.None && sink.IsEnabled(logLevel == LogLevel.Information ? 25 : LevelOf(logLevel, default)) && (!_framework || logLevel >= LogLevel.Warning);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = LevelOf(logLevel, eventId);
            if (_framework && logLevel < LogLevel.Warning)
            {
                return;
            }

            sink.Write(category, level, formatter(state, exception));
        }
    }
}
