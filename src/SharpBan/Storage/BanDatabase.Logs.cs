namespace SharpBan.Storage;

internal sealed partial class BanDatabase
{
    /// <summary>The stored read position of a log file of a jail: first-line hash and byte offset.</summary>
    public (string? Hash, long Position)? GetLogPosition(string jail, string path) => Read<(string?, long)?>(() =>
    {
        using var cmd = Command("SELECT firstlinemd5, lastfilepos FROM logs WHERE jail=$j AND path=$p", ("$j", jail), ("$p", path));
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? 0 : r.GetInt64(1)) : null;
    }, null);

    public void SetLogPosition(string jail, string path, string? hash, long position) =>
        Write(
            "INSERT INTO logs(jail, path, firstlinemd5, lastfilepos) VALUES ($j, $p, $h, $pos) ON CONFLICT(jail, path) DO UPDATE SET firstlinemd5=$h, lastfilepos=$pos",
            ("$j", jail), ("$p", path), ("$h", hash), ("$pos", position));
}
