namespace SharpBan.Engine.Config.Resolution;

/// <summary>
/// Resolves a configuration directory into the command stream the server executes (what <c>client -d</c>
/// prints): global settings, then every enabled jail, then a <c>start</c> per valid jail.
/// </summary>
internal static class ConfigResolver
{
    public static ConfigResolution Resolve(string baseDirectory, ResolveOptions? options = null)
    {
        options ??= new ResolveOptions();
        var diagnostics = new List<ConfigDiagnostic>();
        if (!Directory.Exists(baseDirectory))
        {
            diagnostics.Add(ConfigDiagnostic.Error($"Base configuration directory {baseDirectory} does not exist", new SourceLocation(baseDirectory, 0)));
            return new ConfigResolution([], null, diagnostics, []);
        }

        var cache = new ConfigFileCache(baseDirectory);
        var global = GlobalSettingsReader.Read(cache, options.GlobalOverrides, diagnostics);
        var stream = new List<IReadOnlyList<object?>>(global.Stream);
        var jails = new List<JailReader>();
        var jailConfig = cache.LoadUnit("jail");
        if (jailConfig is null)
        {
            // fail2ban logs this and goes on (with no jail): -t passes
            diagnostics.Add(ConfigDiagnostic.Warning(
                $"Found no accessible config files for 'jail' under {cache.BaseDirectory}", new SourceLocation(Path.Join(cache.BaseDirectory, "jail.conf"), 0)));
        }
        else
        {
            jailConfig.MergeDefaults([new("fail2ban_version", options.Version), new("fail2ban_confpath", cache.BaseDirectory)]);
            var sections = options.Jail is null ? jailConfig.UserSections.ToList() : [options.Jail];
            foreach (var section in sections)
            {
                if (section.Equals(IncludeResolver.IncludesSection, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!jailConfig.HasSection(section))
                {
                    diagnostics.Add(ConfigDiagnostic.Error($"Jail {PyText.Repr(section)} was not found among available", default, section));
                    continue;
                }

                var jail = new JailReader(cache, jailConfig, section, diagnostics);
                if (!jail.Read() || jail.Enabled)
                {
                    jails.Add(jail);
                }
            }

            foreach (var jail in jails)
            {
                stream.AddRange(jail.Convert(options.AllowMissingLogs));
            }

            foreach (var jail in jails)
            {
                if (jail.ConfigError is null)
                {
                    stream.Add(["start", jail.Name]);
                }
            }
        }

        var all = new List<ConfigDiagnostic>(cache.Diagnostics);
        all.AddRange(diagnostics);
        return new ConfigResolution(stream, global, all, jails.Select(static j => j.Name).ToList())
        {
            AwaitedLogs = jails.Where(static j => j.AwaitedLogs.Count > 0).ToDictionary(static j => j.Name, static j => (IReadOnlyList<(string, string)>)j.AwaitedLogs, StringComparer.Ordinal),
        };
    }
}
