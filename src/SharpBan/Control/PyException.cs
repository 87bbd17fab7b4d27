namespace SharpBan.Control;

/// <summary>An exception for <see cref="PickleWriter"/> to send: Python's <c>pickle.loads</c> makes it by calling
/// <c>Module.TypeName(*Args)</c>, e.g. <c>Exception("Sorry but the jail 'x' does not exist")</c>. Written only:
/// <see cref="PickleReader"/> refuses what would build it.</summary>
internal sealed record PyException(string TypeName, IReadOnlyList<object?> Args, string Module = "builtins");
