namespace SharpBan.Engine.Actions;

/// <summary>
/// An action implemented inside SharpBan instead of by shell commands (fail2ban's Python actions, such as
/// <c>action.d/smtp.py</c>). Its <see cref="CommandAction"/> keeps the properties (settable at run time, read on every
/// call), the jail's ordering, locking and failure accounting; only the operations themselves run here.
/// </summary>
internal interface IBuiltinAction
{
    /// <summary>The Python class name fail2ban's answers name (<c>'SMTPAction' object has no attribute …</c>).</summary>
    public string ClassName { get; }

    /// <summary>
    /// Runs <paramref name="operation"/> (<c>actionstart</c>, <c>actionstop</c>, <c>actionban</c>, …); an operation the
    /// action does not have succeeds without doing anything. Throws with a message for the log when it failed.
    /// </summary>
    public Task RunAsync(string operation, IReadOnlyDictionary<string, string> properties, ITagValues values, CancellationToken cancellationToken);
}
