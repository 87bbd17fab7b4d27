namespace SharpBan.Engine.Actions;

/// <summary>
/// A script for <c>/bin/sh -c</c> plus the environment variables it references. Text that came from a log line is
/// only ever in <see cref="Environment"/>, never in <see cref="Script"/>.
/// </summary>
internal sealed record ShellCommand(string Script, IReadOnlyDictionary<string, string> Environment)
{
    public static ShellCommand Plain(string script) => new(script, new Dictionary<string, string>(StringComparer.Ordinal));
}
