namespace SharpBan.Engine.Config.Resolution;

/// <summary>The options a jail section is read for, in the order fail2ban reads (and streams) them.</summary>
internal static class JailOptionSpecs
{
    public static readonly IReadOnlyList<OptionSpec> First =
    [
        new("enabled", OptionKind.Bool, false),
        new("backend", OptionKind.String, "auto"),
        new("filter", OptionKind.String, string.Empty),
    ];

    public static readonly IReadOnlyList<OptionSpec> All =
    [
        new("enabled", OptionKind.Bool, false),
        new("backend", OptionKind.String, "auto"),
        new("maxretry", OptionKind.Int),
        new("maxmatches", OptionKind.Int),
        new("findtime", OptionKind.String),
        new("bantime", OptionKind.String),
        new("bantime.increment", OptionKind.Bool),
        new("bantime.factor", OptionKind.String),
        new("bantime.formula", OptionKind.String),
        new("bantime.multipliers", OptionKind.String),
        new("bantime.maxtime", OptionKind.String),
        new("bantime.rndtime", OptionKind.String),
        new("bantime.overalljails", OptionKind.Bool),
        // SharpBan extensions: streamed only when set, so that -d stays fail2ban's for every other configuration
        new("banprefix.inet4", OptionKind.String),
        new("banprefix.inet6", OptionKind.String),
        new("maxtracked", OptionKind.String),
        new("thresholds", OptionKind.String),
        new("ignorecommand", OptionKind.String),
        new("ignoreself", OptionKind.Bool),
        new("ignoreip", OptionKind.String),
        new("ignorecache", OptionKind.String),
        new("filter", OptionKind.String, string.Empty),
        new("logtimezone", OptionKind.String),
        new("logencoding", OptionKind.String),
        new("logpath", OptionKind.String),
        new("action", OptionKind.String, string.Empty),
        .. FilterFileReader.FilterSpecs,
    ];

    /// <summary>Jail options that are not streamed as a plain <c>set</c>.</summary>
    public static readonly IReadOnlySet<string> NotStreamed =
        new HashSet<string>(["action", "filter", "enabled", .. FilterFileReader.FilterSpecs.Select(static s => s.Name)], StringComparer.Ordinal);
}
