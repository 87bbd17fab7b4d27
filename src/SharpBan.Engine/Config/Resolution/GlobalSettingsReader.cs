namespace SharpBan.Engine.Config.Resolution;

/// <summary>Reads <c>fail2ban.conf</c> (and <c>fail2ban.d/</c>, <c>.local</c>): client-side settings and the global stream part.</summary>
internal static class GlobalSettingsReader
{
    private static readonly IReadOnlyList<OptionSpec> EarlySpecs =
    [
        new("socket", OptionKind.String, "/var/run/fail2ban/fail2ban.sock"),
        new("pidfile", OptionKind.String, "/var/run/fail2ban/fail2ban.pid"),
        new("loglevel", OptionKind.String, "INFO"),
        new("logtarget", OptionKind.String, "/var/log/fail2ban.log"),
        new("syslogsocket", OptionKind.String, "auto"),
    ];

    private static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("loglevel", OptionKind.String, "INFO"),
        new("logtarget", OptionKind.String, "STDERR"),
        new("syslogsocket", OptionKind.String, "auto"),
        new("allowipv6", OptionKind.String, "auto"),
        new("dbfile", OptionKind.String, "/var/lib/fail2ban/fail2ban.sqlite3"),
        new("dbmaxmatches", OptionKind.Int),
        new("dbpurgeage", OptionKind.String, "1d"),
    ];

    private static readonly string[] StreamOrder = ["thread", "syslogsocket", "loglevel", "logtarget", "allowipv6", "dbfile", "dbmaxmatches", "dbpurgeage"];

    private static readonly HashSet<string> LogLevels = new(
        ["CRITICAL", "FATAL", "ERROR", "WARN", "WARNING", "NOTICE", "INFO", "DEBUG", "TRACEDEBUG", "HEAVYDEBUG", "MSG", "NOTSET"],
        StringComparer.OrdinalIgnoreCase);

    public static GlobalSettings Read(ConfigFileCache cache, IReadOnlyDictionary<string, string>? overrides, List<ConfigDiagnostic> diagnostics)
    {
        var config = cache.LoadUnit("fail2ban");
        if (config is null)
        {
            // fail2ban logs this and goes on (with the default settings): -t passes
            diagnostics.Add(ConfigDiagnostic.Warning(
                $"Found no accessible config files for 'fail2ban' under {cache.BaseDirectory}", new SourceLocation(Path.Join(cache.BaseDirectory, "fail2ban.conf"), 0)));
            config = new ConfigSet("fail2ban");
        }

        // fail2ban refuses everything when fail2ban.conf cannot be read: the client's early options (socket, pidfile and
        // the log settings) and the log level are checked before anything else, then the rest, then the jails
        var early = Try(() => OptionReading.Read(config, "Definition", EarlySpecs, null, diagnostics), diagnostics, out var failure);
        var failsEarly = failure is not null;
        var options = Try(() => OptionReading.Read(config, "Definition", Specs, null, diagnostics), diagnostics, out var lateFailure);
        foreach (var name in (string[])["loglevel", "logtarget", "syslogsocket"])
        {
            options[name] = early.GetValueOrDefault(name);
        }

        if (overrides is not null)
        {
            foreach (var (k, v) in overrides)
            {
                options[k] = v;
                early[k] = v;
            }
        }

        var level = PyText.Str(options.GetValueOrDefault("loglevel")) ?? "INFO";
        if (!failsEarly && !LogLevels.Contains(level) && !(level.Length > 0 && level.All(char.IsAsciiDigit)))
        {
            failure = ConfigDiagnostic.Error($"Invalid log level {PyText.Repr(level)}", config.RawValue("Definition", "loglevel")?.Location ?? default, "Definition", "loglevel");
            failsEarly = true;
            diagnostics.Add(failure);
        }

        failure ??= lateFailure;
        if (config.HasSection("Thread"))
        {
            var thread = Try(() => OptionReading.Read(config, "Thread", [new OptionSpec("stacksize", OptionKind.Int)], null, diagnostics), diagnostics, out var threadFailure);
            failure ??= threadFailure;
            if (thread.Count > 0)
            {
                options["thread"] = new Dictionary<string, object?>(thread, StringComparer.Ordinal);
            }
        }

        var stream = new List<IReadOnlyList<object?>>();
        foreach (var name in StreamOrder)
        {
            if (options.TryGetValue(name, out var value))
            {
                stream.Add(["set", name, value]);
            }
        }

        return new GlobalSettings(
            PyText.Str(early.GetValueOrDefault("socket")) ?? "/var/run/fail2ban/fail2ban.sock",
            PyText.Str(early.GetValueOrDefault("pidfile")) ?? "/var/run/fail2ban/fail2ban.pid",
            options,
            stream)
        {
            Metrics = ReadMetrics(config, diagnostics),
            Failure = failure,
            FailsEarly = failsEarly,
        };
    }

    /// <summary><c>metrics</c> (SharpBan extension, never streamed): a bad value is an error at its line, the listener stays off.</summary>
    private static System.Net.IPEndPoint? ReadMetrics(ConfigSet config, List<ConfigDiagnostic> diagnostics)
    {
        try
        {
            if (config.TryGet("Definition", MetricsAddress.OptionName, null, out var text) != LookupResult.Found)
            {
                return null;
            }

            return MetricsAddress.Parse(text);
        }
        catch (ConfigException e)
        {
            diagnostics.Add(e.Diagnostic);
        }
        catch (FormatException e)
        {
            diagnostics.Add(ConfigDiagnostic.Error(e.Message, config.RawValue("Definition", MetricsAddress.OptionName)?.Location ?? SourceLocation.None, "Definition", MetricsAddress.OptionName));
        }

        return null;
    }

    private static OrderedDictionary<string, object?> Try(
        Func<OrderedDictionary<string, object?>> read, List<ConfigDiagnostic> diagnostics, out ConfigDiagnostic? failure)
    {
        try
        {
            failure = null;
            return read();
        }
        catch (ConfigException ex)
        {
            failure = ex.Diagnostic;
            if (!diagnostics.Contains(failure))
            {
                diagnostics.Add(failure); // logtarget and syslogsocket are read twice, their problem is reported once
            }

            return new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        }
    }
}
