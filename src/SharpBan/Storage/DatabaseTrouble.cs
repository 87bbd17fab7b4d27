namespace SharpBan.Storage;

/// <summary>Why the database file does not hold the daemon's state right now (see <see cref="BanDatabase.Maintain"/>).</summary>
internal enum DatabaseTrouble
{
    None,

    /// <summary>The path was deleted, moved away or replaced by another file; the connection still has the old one.</summary>
    Moved,

    /// <summary>Same file, but somebody else wrote it (a restore copied over it, garbage): the connection's view is stale.</summary>
    Rewritten,

    /// <summary>SQLite found the file corrupt or no database.</summary>
    Corrupt,

    /// <summary>The file cannot be opened or written (directory not writable, disk full, I/O error).</summary>
    Failed,
}
