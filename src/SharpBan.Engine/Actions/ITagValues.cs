namespace SharpBan.Engine.Actions;

/// <summary>Run-time tag values of an action call (fail2ban's "action info"): computed on demand.</summary>
internal interface ITagValues
{
    /// <summary>
    /// The value of <paramref name="tag"/>; <paramref name="untrusted"/> is true when it may contain text that came
    /// from a log line (or DNS), which then only reaches the shell as a variable.
    /// </summary>
    public bool TryGet(string tag, out string value, out bool untrusted);
}
