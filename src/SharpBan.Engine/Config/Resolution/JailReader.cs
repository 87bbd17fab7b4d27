namespace SharpBan.Engine.Config.Resolution;

/// <summary>
/// Resolves one jail section: enabled/backend/filter first, then the filter (whose options become
/// <c>known/&lt;opt&gt;</c> in the jail section), then every jail option, then each action. A problem makes this
/// jail a config error (reported with its location) without affecting other jails.
/// </summary>
internal sealed class JailReader
{
    private readonly ConfigFileCache _cache;
    private readonly ConfigSet _config;
    private readonly List<object> _actions = [];
    private readonly List<ConfigDiagnostic> _diagnostics;
    private FilterFileReader? _filter;
    private OrderedDictionary<string, object?> _options = new(StringComparer.Ordinal);

    public JailReader(ConfigFileCache cache, ConfigSet config, string name, List<ConfigDiagnostic> diagnostics)
    {
        _cache = cache;
        _config = config;
        Name = name;
        _diagnostics = diagnostics;
    }

    public string Name { get; }

    /// <summary>
    /// The absolute log paths and patterns of a jail none of whose files were found: the daemon waits for a named file
    /// to appear, or for a pattern (<c>/var/log/nginx/*error.log</c>) to match a file (fail2ban would refuse to start);
    /// they are not in the stream, so <c>-d</c> stays fail2ban's.
    /// </summary>
    public List<(string Path, string Tail)> AwaitedLogs { get; } = [];

    public bool Enabled => _options.TryGetValue("enabled", out var e) && e is true;

    public string? ConfigError { get; private set; }

    /// <summary>Reads the jail; false when it is enabled but broken (then <see cref="ConfigError"/> says why).</summary>
    public bool Read()
    {
        try
        {
            _options = OptionReading.Read(_config, Name, JailOptionSpecs.First, null, _diagnostics);
            if (!Enabled)
            {
                return true;
            }

            ReadFilter();
            _options = OptionReading.Read(_config, Name, JailOptionSpecs.All, null, _diagnostics);
            _filter?.ReadOptions(_options, all: false, _diagnostics);
            ReadBanPrefix();
            ReadMaxTracked();
            ReadThresholds();
            ReadActions();
            return true;
        }
        catch (ConfigException ex)
        {
            Fail(ex.Diagnostic);
            return false;
        }
    }

    private void Fail(ConfigDiagnostic diagnostic)
    {
        ConfigError = diagnostic.Message;
        _options["enabled"] = true;
        _diagnostics.Add(diagnostic with { Section = diagnostic.Section ?? Name });
    }

    private ConfigException Error(string message, string option) =>
        new(ConfigDiagnostic.Error(message, OptionLocation(option), Name, option));

    /// <summary>Where an option of this jail was written, else the jail's section header.</summary>
    private SourceLocation OptionLocation(string option) =>
        _config.RawValue(Name, option)?.Location is { IsKnown: true } location ? location : _config.SectionLocation(Name);

    private void ReadFilter()
    {
        var text = (string)_options["filter"]!;
        if (text.Length == 0)
        {
            _diagnostics.Add(ConfigDiagnostic.Warning($"No filter set for jail {Name}", OptionLocation("enabled"), Name));
            return;
        }

        string filterName;
        OrderedDictionary<string, string> filterOptions;
        try
        {
            (filterName, filterOptions) = OptionList.Extract(text);
        }
        catch (ConfigException ex)
        {
            throw Error($"Invalid filter definition {PyText.Repr(text)}: {ex.Message}", "filter");
        }

        _filter = new FilterFileReader(_cache, filterName, Name, filterOptions);
        if (!_filter.Read())
        {
            throw Error($"Unable to read the filter {PyText.Repr(filterName)}", "filter");
        }

        _filter.ApplyBackend((string)_options["backend"]!);
        _filter.ReadOptions(_options, all: true, _diagnostics);
        var known = _filter.Combined([], _diagnostics)
            .Where(static kv => kv.Value is not null)
            .Select(static kv => new KeyValuePair<string, string>(kv.Key, PyText.Str(kv.Value)!));
        _config.MergeSection(Name, known, "known/", OptionLocation("filter"));
    }

    /// <summary><c>banprefix.inet4</c>/<c>banprefix.inet6</c>: a prefix length, or the jail is refused at its line.</summary>
    private void ReadBanPrefix()
    {
        foreach (var option in Jails.BanPrefix.OptionNames)
        {
            if (_options.TryGetValue(option, out var value) && value is string text)
            {
                try
                {
                    _options[option] = (long)Jails.BanPrefix.Parse(option, text);
                }
                catch (FormatException e)
                {
                    throw Error(e.Message, option);
                }
            }
        }
    }

    /// <summary><c>maxtracked</c>: a whole number (0 = no limit), or the jail is refused at its line.</summary>
    private void ReadMaxTracked()
    {
        if (_options.TryGetValue("maxtracked", out var value) && value is string text)
        {
            try
            {
                _options["maxtracked"] = (long)Jails.FailManager.ParseMaxTracked(text);
            }
            catch (FormatException e)
            {
                throw Error(e.Message, "maxtracked");
            }
        }
    }

    /// <summary><c>thresholds</c>: pairs <c>COUNT/TIME</c> (streamed one space apart), or the jail is refused at its line.</summary>
    private void ReadThresholds()
    {
        if (_options.TryGetValue("thresholds", out var value) && value is string text)
        {
            try
            {
                _options["thresholds"] = Jails.Thresholds.Parse(text).ToString();
            }
            catch (FormatException e)
            {
                throw Error(e.Message, "thresholds");
            }
        }
    }

    private void ReadActions()
    {
        foreach (var entry in OptionList.Split((string)_options["action"]!))
        {
            var text = PyText.Strip(entry);
            if (text.Length == 0)
            {
                continue;
            }

            string actionName;
            OrderedDictionary<string, string> actionOptions;
            try
            {
                (actionName, actionOptions) = OptionList.Extract(text);
            }
            catch (ConfigException ex)
            {
                throw Error($"Invalid action definition {PyText.Repr(text)}: {ex.Message}", "action");
            }

            if (actionName.EndsWith(".py", StringComparison.Ordinal))
            {
                if (!actionOptions.Remove("actname", out var actname))
                {
                    actname = PyPath.WithoutExtension(actionName);
                }

                _actions.Add(new List<object?>
                {
                    "set", Name, "addaction", actname, PyPath.Join(_cache.BaseDirectory, "action.d", actionName), PyJson.Dumps(actionOptions),
                });
                continue;
            }

            var action = new ActionFileReader(_cache, actionName, Name, actionOptions);
            if (!action.Read())
            {
                throw Error($"Unable to read action {PyText.Repr(actionName)}", "action");
            }

            try
            {
                action.ReadOptions(_options, all: false, _diagnostics);
            }
            catch (ConfigException ex)
            {
                throw new ConfigException(ex.Diagnostic with
                {
                    Message = $"Error in action definition {PyText.Repr(text)}: {ex.Message}",
                });
            }

            _actions.Add(action);
        }

        if (_actions.Count == 0)
        {
            _diagnostics.Add(ConfigDiagnostic.Warning($"No actions were defined for {Name}", OptionLocation("action"), Name));
        }
    }

    /// <summary>This jail's part of the config stream; <paramref name="allowMissingLogs"/> turns a jail without log files into a warning.</summary>
    public List<IReadOnlyList<object?>> Convert(bool allowMissingLogs)
    {
        if (ConfigError is not null)
        {
            return [["config-error", $"Jail {PyText.Repr(Name)} skipped, because of wrong configuration: {ConfigError}"]];
        }

        var stream = new List<IReadOnlyList<object?>>();
        var logs = new List<IReadOnlyList<object?>>();
        try
        {
            _filter?.Convert(stream, _diagnostics);
            FilterFileReader.FillStream(stream, _options, Name);
            var backend = "auto";
            foreach (var (option, value) in _options)
            {
                switch (option)
                {
                    case "logpath":
                        if (!(_options["backend"] as string ?? string.Empty).StartsWith("systemd", StringComparison.Ordinal))
                        {
                            AddLogPaths((string?)value ?? string.Empty, logs, allowMissingLogs);
                        }

                        break;
                    case "backend":
                        backend = (string)value!;
                        break;
                    case "ignoreip":
                        stream.Add(["set", Name, "addignoreip", .. OptionList.SplitWords((string?)value)]);
                        break;
                    default:
                        if (!JailOptionSpecs.NotStreamed.Contains(option))
                        {
                            stream.Add(["set", Name, option, value]);
                        }

                        break;
                }
            }

            stream.AddRange(logs);
            foreach (var action in _actions)
            {
                if (action is ActionFileReader reader)
                {
                    reader.Convert(stream, _diagnostics);
                }
                else
                {
                    stream.Add((IReadOnlyList<object?>)action);
                }
            }

            stream.Insert(0, ["add", Name, backend]);
            return stream;
        }
        catch (ConfigException ex)
        {
            Fail(ex.Diagnostic);
            return Convert(allowMissingLogs);
        }
    }

    private void AddLogPaths(string value, List<IReadOnlyList<object?>> logs, bool allowMissingLogs)
    {
        var found = 0;
        var literal = new List<(string, string)>();
        foreach (var line in value.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            var (pattern, tail) = space >= 0 ? (line[..space], line[(space + 1)..]) : (line, "head");
            if (pattern.Length > 0 && Path.IsPathRooted(pattern))
            {
                literal.Add((pattern, tail));
            }

            foreach (var path in PathGlob.Expand(pattern))
            {
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    _diagnostics.Add(ConfigDiagnostic.Warning(
                        $"File {path} is a dangling link, thus cannot be monitored", OptionLocation("logpath"), Name, "logpath"));
                    continue;
                }

                found++;
                logs.Add(["set", Name, "addlogpath", path, tail]);
            }
        }

        if (found == 0)
        {
            AwaitedLogs.AddRange(literal);
            var location = OptionLocation("logpath");
            var message = $"Have not found any log file for {Name} jail";
            _diagnostics.Add(allowMissingLogs
                ? ConfigDiagnostic.Warning(message, location, Name, "logpath")
                : ConfigDiagnostic.Error(message, location, Name, "logpath"));
        }
    }
}
