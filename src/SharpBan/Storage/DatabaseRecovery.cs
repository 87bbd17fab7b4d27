namespace SharpBan.Storage;

/// <summary>
/// One attempt of <see cref="BanDatabase.Maintain"/> to give the file the daemon's state again.
/// </summary>
/// <param name="Cause">What was wrong.</param>
/// <param name="Change">For a file that changed under the daemon, what happened to it ("deleted or moved away" …).</param>
/// <param name="Outcome">On success, what the file holds now; null when the attempt failed.</param>
/// <param name="Error">Why the attempt failed; null on success.</param>
/// <param name="RetrySeconds">When the next attempt is made after a failure.</param>
/// <param name="RestoreBans">The file now in use held bans of its own (a restored copy, a file unreadable at start): the
/// jails should restore the ones they do not have.</param>
internal sealed record DatabaseRecovery(DatabaseTrouble Cause, string Change, string? Outcome, string? Error, double RetrySeconds, bool RestoreBans)
{
    public bool Succeeded => Error is null;
}
