using System.Net;

namespace SharpBan.Engine.Config.Resolution;

/// <summary>The resolved <c>fail2ban.conf</c>: where the client finds the server, and the global stream part.</summary>
internal sealed record GlobalSettings(
    string Socket,
    string PidFile,
    IReadOnlyDictionary<string, object?> Options,
    IReadOnlyList<IReadOnlyList<object?>> Stream)
{
    /// <summary>
    /// <c>metrics</c> (SharpBan extension): where the daemon serves Prometheus metrics over HTTP; null: off. Not part of
    /// the stream, so <c>client -d</c> stays fail2ban's (which ignores the option).
    /// </summary>
    public IPEndPoint? Metrics { get; init; }

    /// <summary>
    /// A value of fail2ban.conf that cannot be interpolated, or an invalid log level: fail2ban then refuses the whole
    /// configuration (no stream, no server), and so does SharpBan.
    /// </summary>
    public ConfigDiagnostic? Failure { get; init; }

    /// <summary>
    /// The failure is in what fail2ban-client reads before anything else (socket, pidfile, log settings, the log level): it
    /// prints <c>ERROR: message</c> instead of its "configuration stream failed" line.
    /// </summary>
    public bool FailsEarly { get; init; }
}
