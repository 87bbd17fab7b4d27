namespace SharpBan;

/// <summary>Where the configuration is read from when <c>-c</c> is not given.</summary>
internal static class ConfigDirectory
{
    public const string SystemDirectory = "/etc/sharpban";

    /// <summary><c>/etc/sharpban</c> when present, else the configuration shipped next to the executable.</summary>
    public static string Default()
    {
        if (Directory.Exists(SystemDirectory))
        {
            return SystemDirectory;
        }

        return Shipped();
    }

    public static string Shipped() => Path.Join(AppContext.BaseDirectory, "config");
}
