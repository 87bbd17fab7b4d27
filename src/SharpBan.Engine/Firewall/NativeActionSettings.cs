namespace SharpBan.Engine.Firewall;

/// <summary>
/// Recognises an action handled by the native nftables backend (<c>native = nftables</c> in its
/// <c>[Init]</c>, see <c>config/action.d/nftables-native.conf</c>) and turns its resolved properties into
/// <see cref="NativeJailSettings"/>.
/// </summary>
internal static class NativeActionSettings
{
    public static bool IsNative(IReadOnlyDictionary<string, string> properties) =>
        properties.TryGetValue("native", out var native) && string.Equals(native.Trim(), "nftables", StringComparison.Ordinal);

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad property.</summary>
    public static NativeJailSettings Create(IReadOnlyDictionary<string, string> properties, string jailName,
        bool allowIPv6 = true)
    {
        // Properties should arrive tag-substituted; an unresolved "<known/chain>" means "the action's default".
        string Get(string key, string fallback) =>
            properties.TryGetValue(key, out var value) && value.Trim().Length > 0
            && !value.StartsWith("<known/", StringComparison.Ordinal) ? value.Trim() : fallback;

        var mode = Get("mode", "multiport") switch
        {
            "multiport" => BanMode.Multiport,
            "allports" => BanMode.AllPorts,
            var other => throw new ArgumentException($"mode '{other}' is not supported (use multiport or allports)",
                nameof(properties)),
        };
        var hook = Get("chain", "input");
        return NativeJailSettings.Create(Get("name", jailName), Get("port", "0:65535"), Get("protocol", "tcp"), mode,
            allowIPv6 ? NftFamily.Both : NftFamily.IPv4, Get("blocktype", "reject"),
            hook.Equals("INPUT", StringComparison.Ordinal) ? "input" : hook);
    }
}
