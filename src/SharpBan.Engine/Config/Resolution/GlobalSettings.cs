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
}
