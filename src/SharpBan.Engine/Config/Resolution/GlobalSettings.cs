namespace SharpBan.Engine.Config.Resolution;

/// <summary>The resolved <c>fail2ban.conf</c>: where the client finds the server, and the global stream part.</summary>
internal sealed record GlobalSettings(
    string Socket,
    string PidFile,
    IReadOnlyDictionary<string, object?> Options,
    IReadOnlyList<IReadOnlyList<object?>> Stream);
