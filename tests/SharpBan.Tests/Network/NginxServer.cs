using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace SharpBan.Tests.Network;

/// <summary>
/// The real nginx (Debian's package) in a namespace, run in the foreground from a temporary directory:
/// its own configuration, pid file, temp paths, <see cref="ErrorLog"/> (level info, so the aggressive-mode
/// lines are written too) and <see cref="AccessLog"/> (the default "combined" format). Port 80 serves
/// <c>/</c> (a page), <c>/private/</c> behind basic authentication (<see cref="User"/> with a random
/// <see cref="Password"/> in an htpasswd file), <c>/limited/</c> under a <c>limit_req</c> zone "login" of one
/// request a minute with a burst of 2 (delayed, then refused with 503), and 404 for everything else.
/// Stopped by its pid, and the directory deleted, on dispose.
/// </summary>
internal sealed class NginxServer : IDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly string _directory;
    private readonly Process _nginx;

    public NginxServer(NetworkLab lab, string ns, params string[] listenAddresses)
    {
        _directory = Directory.CreateTempSubdirectory("sharpban-nginx-").FullName;
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        ErrorLog = Path.Combine(_directory, "error.log");
        AccessLog = Path.Combine(_directory, "access.log");
        try
        {
            // The workers run as nobody: the document root and the password file must be readable.
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
            var html = Path.Combine(_directory, "html");
            foreach (var dir in new[] { "private", "limited" })
            {
                Directory.CreateDirectory(Path.Combine(html, dir));
                File.WriteAllText(Path.Combine(html, dir, "index.html"), dir + "\n");
            }

            File.WriteAllText(Path.Combine(html, "index.html"), "home\n");
            var hash = Shell.Check("openssl", "passwd", "-apr1", Password).Trim();
            var htpasswd = Path.Combine(_directory, "htpasswd");
            File.WriteAllText(htpasswd, $"{User}:{hash}\n");
            var temp = Directory.CreateDirectory(Path.Combine(_directory, "tmp")).FullName;
            var listen = string.Join(' ', listenAddresses.Select(a => $"listen {(a.Contains(':', StringComparison.Ordinal) ? $"[{a}]" : a)}:80;"));
            var config = Path.Combine(_directory, "nginx.conf");
            File.WriteAllText(config, $$"""
                worker_processes 1;
                error_log {{ErrorLog}} info;
                events { worker_connections 64; }
                http {
                    access_log {{AccessLog}} combined;
                    client_body_temp_path {{temp}}/body;
                    proxy_temp_path {{temp}}/proxy;
                    fastcgi_temp_path {{temp}}/fastcgi;
                    uwsgi_temp_path {{temp}}/uwsgi;
                    scgi_temp_path {{temp}}/scgi;
                    limit_req_zone $binary_remote_addr zone=login:1m rate=1r/m;
                    server {
                        {{listen}}
                        server_name www.example.test;
                        root {{html}};
                        location /private/ {
                            auth_basic "Restricted";
                            auth_basic_user_file {{htpasswd}};
                        }
                        location /limited/ {
                            limit_req zone=login burst=2;
                        }
                    }
                }

                """);
            File.WriteAllText(ErrorLog, "");
            File.WriteAllText(AccessLog, "");
            _nginx = lab.StartIn(ns, Binary, "-e", "stderr", "-p", _directory, "-c", config,
                "-g", $"daemon off; pid {Path.Combine(_directory, "nginx.pid")};");
            try
            {
                WaitFor(ErrorLog, l => l.Contains("start worker process ", StringComparison.Ordinal), 1, TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException) when (_nginx.HasExited)
            {
                throw new InvalidOperationException($"nginx exited {_nginx.ExitCode}: {_nginx.StandardError.ReadToEnd()}");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string User => "alice";

    public string Password { get; }

    public string ErrorLog { get; }

    public string AccessLog { get; }

    /// <summary>
    /// One request with curl from <paramref name="ns"/> (no retries, 5 s timeout, plus <paramref name="options"/>);
    /// returns the HTTP status, 0 when no answer came.
    /// </summary>
    public static int Curl(string ns, string url, params string[] options)
    {
        var (_, output, _) = NetworkLab.Exec(ns, "curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "5", .. options, url]);
        return int.TryParse(output, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : 0;
    }

    /// <summary>Sends raw bytes (a printf format) to address:80 from <paramref name="ns"/> and returns what came back.</summary>
    public static string Raw(string ns, string address, string printfFormat) =>
        NetworkLab.Exec(ns, "sh", "-c", $"printf '{printfFormat}' | nc -w 2 {address} 80").Out;

    /// <summary>Waits until at least <paramref name="count"/> lines of <paramref name="log"/> satisfy <paramref name="predicate"/>.</summary>
    public static IReadOnlyList<string> WaitFor(string log, Func<string, bool> predicate, int count, TimeSpan timeout) =>
        LogFileWait.For(log, predicate, count, timeout);

    public void Dispose()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            _nginx.WaitForExit(5000);
        }

        Directory.Delete(_directory, recursive: true);
    }
}
