using Microsoft.Data.Sqlite;

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
    /// Leaves the gate after a burst (lines of a file, a command, expiry): one database commit for the whole burst,
    /// then the jails' held-back actions and firewall requests are released, then one log flush.
    /// </summary>
    private void ExitGate()
    {
        try
        {
            try
            {
                Database?.Commit();
            }
            catch (SqliteException e)
            {
                // deliberate: a full or broken disk must not keep bans out of the firewall; the error is logged
                Log.DatabaseCommitFailed(_log, e.Message);
                CountDatabaseError();
            }

            foreach (var jail in _jails.Values)
            {
                jail.CommitAndRelease();
            }
        }
        finally
        {
            _logSink.EndBatch();
            _gate.Release();
        }
    }
}
