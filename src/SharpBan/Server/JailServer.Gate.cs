namespace SharpBan.Server;

internal sealed partial class JailServer
{
    /// <summary>Enters the gate; log lines written until <see cref="ExitGate"/> are flushed once, at the exit.</summary>
    private async Task EnterGateAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        _logSink.BeginBatch();
    }

    /// <summary>
    /// Leaves the gate after a burst (lines of a file, a command, expiry): one database commit for the whole burst (the
    /// file checked first, and repaired when it was deleted, replaced or could not be written), then the jails'
    /// held-back actions and firewall requests are released, then one log flush.
    /// </summary>
    private void ExitGate()
    {
        try
        {
            if (Database is not null)
            {
                foreach (var jail in _jails.Values)
                {
                    jail.SaveWindows();
                }

                Database.Commit();
            }

            MaintainDatabase(force: false);
            foreach (var jail in _jails.Values)
            {
                jail.CommitAndRelease();
            }

            StartLaterWork();
        }
        finally
        {
            try
            {
                _logSink.EndBatch();
            }
            finally
            {
                _gate.Release(); // whatever happens to the log, the gate opens again
            }
        }
    }
}
