using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SharpBan.Tests.Network;

/// <summary>
/// The real Apache httpd (Debian's apache2, event MPM) in a namespace, run in the foreground from a temporary
/// directory: its own configuration, pid file, mutexes, <see cref="ErrorLog"/> (<c>LogLevel info</c>, so "File does
/// not exist" and the request-overflow lines are written too) and <see cref="AccessLog"/> (the "combined" format).
/// Port 80 serves <c>/</c> (a page), <c>/private/</c> behind basic authentication and <c>/digest/</c> behind digest
/// authentication (realm <see cref="Realm"/>), both for <see cref="User"/> with a random <see cref="Password"/>, and
/// refuses <c>/denied/</c> (<c>Require all denied</c>); everything else is 404. The children run as www-data.
/// Stopped by pid (SIGTERM, then SIGKILL to the parent and every child), and the directory deleted, on dispose.
/// </summary>
internal sealed class ApacheServer : IDisposable
{
    public const string Binary = "/usr/sbin/apache2";

    /// <summary>A nonce of the shape mod_auth_digest issues: it looks the user up before it checks the nonce.</summary>
    private const string WellFormedNonce = "AAAAAAAAAAA=0000000000000000000000000000000000000000";

    private readonly string _directory;
    private readonly Process _apache;

    public ApacheServer(NetworkLab lab, string ns, params string[] listenAddresses)
    {
        _directory = Directory.CreateTempSubdirectory("sharpban-apache-").FullName;
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        ErrorLog = Path.Combine(_directory, "error.log");
        AccessLog = Path.Combine(_directory, "access.log");
        DocumentRoot = Path.Combine(_directory, "www");
        try
        {
            // The children run as www-data: the document root and the password files must be readable.
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
            foreach (var dir in new[] { "private", "digest", "denied" })
            {
                Directory.CreateDirectory(Path.Combine(DocumentRoot, dir));
                File.WriteAllText(Path.Combine(DocumentRoot, dir, "index.html"), dir + "\n");
            }

            File.WriteAllText(Path.Combine(DocumentRoot, "index.html"), "home\n");
            var htpasswd = Path.Combine(_directory, "htpasswd");
            File.WriteAllText(htpasswd, $"{User}:{Shell.Check("openssl", "passwd", "-apr1", Password).Trim()}\n");
            var htdigest = Path.Combine(_directory, "htdigest");
            File.WriteAllText(htdigest, $"{User}:{Realm}:{Md5Hex($"{User}:{Realm}:{Password}")}\n");
            var listen = string.Join('\n', listenAddresses.Select(a => $"Listen {(a.Contains(':', StringComparison.Ordinal) ? $"[{a}]" : a)}:80"));
            var config = Path.Combine(_directory, "apache2.conf");
            File.WriteAllText(config, $$"""
                ServerRoot /usr/lib/apache2
                DefaultRuntimeDir {{_directory}}
                PidFile {{Path.Combine(_directory, "apache2.pid")}}
                Mutex file:{{_directory}} default
                LoadModule mpm_event_module modules/mod_mpm_event.so
                LoadModule authn_core_module modules/mod_authn_core.so
                LoadModule authn_file_module modules/mod_authn_file.so
                LoadModule authz_core_module modules/mod_authz_core.so
                LoadModule authz_user_module modules/mod_authz_user.so
                LoadModule auth_basic_module modules/mod_auth_basic.so
                LoadModule auth_digest_module modules/mod_auth_digest.so
                LoadModule dir_module modules/mod_dir.so
                LoadModule mime_module modules/mod_mime.so
                User www-data
                Group www-data
                {{listen}}
                ServerName www.example.test
                ErrorLog {{ErrorLog}}
                LogLevel info
                LogFormat "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" combined
                CustomLog {{AccessLog}} combined
                TypesConfig /etc/mime.types
                DocumentRoot {{DocumentRoot}}
                DirectoryIndex index.html
                <Directory />
                    AllowOverride None
                    Require all denied
                </Directory>
                <Directory {{DocumentRoot}}>
                    Require all granted
                </Directory>
                <Location /private/>
                    AuthType Basic
                    AuthName "Restricted"
                    AuthBasicProvider file
                    AuthUserFile {{htpasswd}}
                    Require valid-user
                </Location>
                <Location /digest/>
                    AuthType Digest
                    AuthName "{{Realm}}"
                    AuthDigestProvider file
                    AuthDigestDomain /digest/
                    AuthUserFile {{htdigest}}
                    Require valid-user
                </Location>
                <Location /denied/>
                    Require all denied
                </Location>

                """);
            File.WriteAllText(ErrorLog, "");
            File.WriteAllText(AccessLog, "");
            _apache = lab.StartIn(ns, Binary, "-f", config, "-DFOREGROUND");
            try
            {
                LogFileWait.For(ErrorLog, l => l.Contains("resuming normal operations", StringComparison.Ordinal), 1, TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException) when (_apache.HasExited)
            {
                throw new InvalidOperationException($"apache2 exited {_apache.ExitCode}: {_apache.StandardError.ReadToEnd()}");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string User => "alice";

    public string Realm => "members";

    public string Password { get; }

    public string ErrorLog { get; }

    public string AccessLog { get; }

    /// <summary>The directory Apache serves; its error log names missing files below it.</summary>
    public string DocumentRoot { get; }

    /// <summary>
    /// One request with curl from <paramref name="ns"/> (no retries, no URL globbing, 5 s timeout, plus
    /// <paramref name="options"/>); returns the HTTP status, 0 when no answer came.
    /// </summary>
    public static int Curl(string ns, string url, params string[] options)
    {
        var (_, output, _) = NetworkLab.Exec(ns, "curl", ["-g", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "5", .. options, url]);
        return int.TryParse(output, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : 0;
    }

    /// <summary>Sends <paramref name="request"/> as it is to address:80 from <paramref name="ns"/>; returns what came back.</summary>
    public static string Raw(string ns, string address, string request) =>
        Shell.Run("ip", ["netns", "exec", ns, "nc", "-w", "2", address, "80"], stdin: request).Out;

    /// <summary>
    /// A digest Authorization header for <paramref name="user"/> (any text; quotes are escaped) with a well-formed
    /// nonce and a wrong response: mod_auth_digest answers 401 and logs the user as not found, or the password as
    /// mismatched for a known user.
    /// </summary>
    public static string DigestAuthorization(string user, string realm, string uri) =>
        $"Authorization: Digest username=\"{user.Replace("\"", "\\\"", StringComparison.Ordinal)}\", realm=\"{realm}\", " +
        $"nonce=\"{WellFormedNonce}\", uri=\"{uri}\", cnonce=\"MDEyMzQ1Njc4OQ==\", nc=00000001, qop=auth, " +
        "response=\"00000000000000000000000000000000\", algorithm=MD5";

    public void Dispose()
    {
        if (_apache is { HasExited: false })
        {
            // SIGTERM first: the parent stops its www-data children and reaps them, leaving no orphans; then SIGKILL
            // to the parent and every child by pid if it has not exited.
            Shell.Run("kill", ["-TERM", _apache.Id.ToString(CultureInfo.InvariantCulture)]);
            if (!_apache.WaitForExit(10_000))
            {
                _apache.Kill(entireProcessTree: true);
                _apache.WaitForExit(5000);
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    // HTTP digest authentication (RFC 2617) is defined over MD5; this is the htdigest file's hash, not a secret.
#pragma warning disable CA5351
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
