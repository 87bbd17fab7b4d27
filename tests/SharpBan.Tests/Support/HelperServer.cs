using System.Diagnostics;
using System.Globalization;

namespace SharpBan.Tests.Support;

/// <summary>
/// A server a test runs beside the daemon: <c>python3</c> with a script of the test's, in a scratch directory of its
/// own, telling its port through a file <c>port</c> there. On dispose it is killed by its pid and the directory deleted.
/// </summary>
internal sealed class HelperServer : IAsyncDisposable
{
    private readonly Process _process;

    private HelperServer(Process process, string dir, int port)
    {
        _process = process;
        Dir = dir;
        Port = port;
    }

    /// <summary>The scratch directory (the script, its port file, whatever it records).</summary>
    public string Dir { get; }

    public int Port { get; }

    /// <param name="name">Part of the directory's name.</param>
    /// <param name="script">The Python script; it writes its port to <c>DIR/port</c> (atomically) once it listens.</param>
    /// <param name="arguments">The script's arguments, given the directory.</param>
    /// <param name="prepare">Writes what the script needs into the directory before it starts (certificates).</param>
    public static async Task<HelperServer> StartPythonAsync(string name, string script, Func<string, IEnumerable<string>> arguments,
        Action<string>? prepare = null)
    {
        var dir = Directory.CreateTempSubdirectory($"sharpban-{name}-").FullName;
        try
        {
            prepare?.Invoke(dir);
            var path = Path.Join(dir, "server.py");
            await File.WriteAllTextAsync(path, script);
            var psi = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardError = true };
            foreach (var a in new[] { "-W", "ignore", path }.Concat(arguments(dir)))
            {
                psi.ArgumentList.Add(a);
            }

            var process = Process.Start(psi)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            var portFile = Path.Join(dir, "port");
            var sw = Stopwatch.StartNew();
            while (!File.Exists(portFile))
            {
                if (process.HasExited || sw.Elapsed > TimeSpan.FromSeconds(20))
                {
                    process.Kill(entireProcessTree: true);
                    process.Dispose();
                    throw new InvalidOperationException($"the {name} server did not start");
                }

                await Task.Delay(50);
            }

            return new HelperServer(process, dir, int.Parse(await File.ReadAllTextAsync(portFile), CultureInfo.InvariantCulture));
        }
        catch
        {
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    /// <summary>Kills <paramref name="process"/> (by its pid, with its children) and deletes <paramref name="dir"/>.</summary>
    public static async ValueTask StopAsync(Process process, string dir)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            process.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    public ValueTask DisposeAsync() => StopAsync(_process, Dir);
}
