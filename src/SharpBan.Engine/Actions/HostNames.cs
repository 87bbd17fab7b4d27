namespace SharpBan.Engine.Actions;

/// <summary>
/// The host's names for the built-in <c>&lt;fq-hostname&gt;</c> and <c>&lt;sh-hostname&gt;</c> action tags. The
/// engine does not ask the OS: the server installs a provider at start; without one the tags stay verbatim.
/// </summary>
internal static class HostNames
{
    /// <summary>Returns the fully qualified (<c>true</c>) or short (<c>false</c>) host name.</summary>
    public static Func<bool, string>? Provider { get; set; }

    public static bool TryGet(string tag, out string value)
    {
        value = tag switch
        {
            "fq-hostname" when Provider is { } p => p(true),
            "sh-hostname" when Provider is { } p => p(false),
            _ => "",
        };
        return value.Length > 0;
    }
}
