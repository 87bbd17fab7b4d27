namespace SharpBan.Engine.Matching;

/// <summary>fail2ban's <c>usedns</c> modes.</summary>
public enum UseDns
{
    Warn,
    Yes,
    No,
    Raw,
}

/// <summary>Parsing of <c>usedns</c> values.</summary>
internal static class UseDnsParser
{
    /// <summary>fail2ban's error for a value <see cref="TryParse"/> refuses.</summary>
    public static string InvalidMessage(string value) =>
        $"Incorrect value {Config.PyText.Repr(value.ToLowerInvariant())} specified for usedns. Using safe 'no'";

    /// <summary>Parses a <c>usedns</c> value; anything unknown is <see cref="UseDns.No"/> (as fail2ban, after an error).</summary>
    public static bool TryParse(string? value, out UseDns mode)
    {
        mode = (value ?? "warn").ToLowerInvariant() switch
        {
            "yes" => UseDns.Yes,
            "warn" => UseDns.Warn,
            "no" => UseDns.No,
            "raw" => UseDns.Raw,
            _ => (UseDns)(-1),
        };
        if ((int)mode < 0)
        {
            mode = UseDns.No;
            return false;
        }

        return true;
    }
}
