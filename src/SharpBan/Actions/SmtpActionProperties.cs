namespace SharpBan.Actions;

/// <summary>
/// smtp.py's constructor arguments and the attribute each one is kept under (what <c>get/set JAIL action smtp …</c>
/// reads and writes), with its defaults.
/// </summary>
internal static class SmtpActionProperties
{
    public const string Host = "host";
    public const string User = "user";
    public const string Password = "password";
    public const string FromName = "fromname";
    public const string FromAddress = "fromaddr";
    public const string To = "toaddr";
    public const string Matches = "matches";
    public const string NoRestored = "norestored";

    /// <summary>SharpBan's extension: <c>none</c> (default), <c>starttls</c> or <c>ssl</c>.</summary>
    public const string Tls = "tls";

    public const string DefaultHost = "localhost";
    public const string DefaultFromName = "Fail2Ban";
    public const string DefaultFromAddress = "fail2ban";
    public const string DefaultTo = "root";

    /// <summary>Constructor keyword → attribute (smtp.py renames three of them).</summary>
    private static readonly Dictionary<string, string> Arguments = new(StringComparer.Ordinal)
    {
        ["host"] = Host,
        ["user"] = User,
        ["password"] = Password,
        ["sendername"] = FromName,
        ["sender"] = FromAddress,
        ["dest"] = To,
        ["matches"] = Matches,
        ["tls"] = Tls,
    };

    /// <summary>
    /// The properties of a new action from the keyword arguments of <c>addaction</c>; an unknown keyword is refused with
    /// Python's words, as fail2ban's constructor call would.
    /// </summary>
    public static Dictionary<string, string> FromArguments(IEnumerable<KeyValuePair<string, string>> arguments)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Host] = DefaultHost,
            [FromName] = DefaultFromName,
            [FromAddress] = DefaultFromAddress,
            [To] = DefaultTo,
            [NoRestored] = "1", // smtp.py never mails about bans restored at start
        };
        foreach (var (key, value) in arguments)
        {
            properties[Arguments.TryGetValue(key, out var attribute)
                ? attribute
                : throw new ArgumentException($"SMTPAction.__init__() got an unexpected keyword argument '{key}'")] = value;
        }

        return properties;
    }
}
