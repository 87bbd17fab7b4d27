namespace SharpBan.Tests.Server;

/// <summary>
/// Tests that put a journal file into the host's own journal directory, and tests whose jails would then read it
/// (backend auto with missing log files): never at the same time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SystemJournalCollection
{
    public const string Name = "system journal";
}
