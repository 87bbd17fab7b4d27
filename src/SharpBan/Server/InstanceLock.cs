namespace SharpBan.Server;

/// <summary>
/// The pid file, held open with an exclusive lock for the daemon's lifetime: a second daemon started on the same
/// configuration (even at the same moment) finds it locked and stops before it touches the socket, the jails or the
/// firewall. The lock goes with the process, so a crashed daemon never blocks the next start.
/// </summary>
internal sealed class InstanceLock : IDisposable
{
    /// <summary>EWOULDBLOCK, the <see cref="IOException.HResult"/> of a file another process holds locked.</summary>
    private const int WouldBlock = 11;

    private readonly FileStream _file;

    private InstanceLock(string path, FileStream file)
    {
        Path = path;
        _file = file;
    }

    public string Path { get; }

    /// <summary>Locks <paramref name="path"/> (creating it and its directory); null when another process holds it.</summary>
    /// <exception cref="IOException">The file or its directory cannot be created (read-only, a missing parent…).</exception>
    /// <exception cref="UnauthorizedAccessException">As <see cref="IOException"/>, for want of permission.</exception>
    public static InstanceLock? TryAcquire(string path)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        try
        {
            // FileShare.None is an exclusive flock on Linux: held by this process until disposed or gone
            return new InstanceLock(path, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e.HResult == WouldBlock)
        {
            return null; // flock: another process holds it
        }
    }

    /// <summary>Writes this process's id (the pid file's content).</summary>
    public void WritePid()
    {
        _file.SetLength(0);
        var bytes = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
        _file.Write(bytes);
        _file.Flush();
    }

    /// <summary>Removes the pid file and releases the lock.</summary>
    public void Dispose()
    {
        File.Delete(Path);
        _file.Dispose();
    }
}
