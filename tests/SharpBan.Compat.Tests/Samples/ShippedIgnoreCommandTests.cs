using System.Diagnostics;

namespace SharpBan.Compat.Tests.Samples;

/// <summary>
/// The shipped <c>ignorecommands/apache-fakegooglebot</c> (the apache-fakegooglebot jail's ignorecommand): a crawler whose
/// reverse name is Google's and resolves back is ignored (0), anything else counts (1), and what is no address is
/// refused (2) before any lookup. DNS is a recording <c>host</c> stub on PATH (tests send no traffic out).
/// </summary>
public sealed class ShippedIgnoreCommandTests : IDisposable
{
    private static readonly string Script = Path.Join(AppContext.BaseDirectory, "config", "ignorecommands", "apache-fakegooglebot");
    private readonly string _bin = Directory.CreateTempSubdirectory("sharpban-host-stub-").FullName;

    public ShippedIgnoreCommandTests()
    {
        // 192.0.2.66 claims a Google name that resolves back; 192.0.2.67 claims one that resolves elsewhere;
        // 192.0.2.68 has a name that only ends like Google's
        File.WriteAllText(Path.Join(_bin, "host"), """
            #!/bin/sh
            echo "$@" >> "$(dirname "$0")/calls"
            for a in "$@"; do last=$a; done
            case "$last" in
              192.0.2.66) echo "66.2.0.192.in-addr.arpa domain name pointer crawl-1.googlebot.com." ;;
              192.0.2.67) echo "67.2.0.192.in-addr.arpa domain name pointer crawl-2.googlebot.com." ;;
              192.0.2.68) echo "68.2.0.192.in-addr.arpa domain name pointer crawl.evilgooglebot.com." ;;
              crawl-1.googlebot.com.) case "$*" in *" A "*) echo "crawl-1.googlebot.com has address 192.0.2.66" ;; esac ;;
              crawl-2.googlebot.com.) case "$*" in *" A "*) echo "crawl-2.googlebot.com has address 198.51.100.1" ;; esac ;;
              *) exit 1 ;;
            esac
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(Path.Join(_bin, "host"), (UnixFileMode)0x1ED);
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    [Theory]
    [InlineData("192.0.2.66", 0)]
    [InlineData("192.0.2.67", 1)]
    [InlineData("192.0.2.68", 1)]
    [InlineData("192.0.2.69", 1)]
    [InlineData("x;touch /tmp/sharpban-never", 2)]
    [InlineData("192.0.2.66 192.0.2.67", 2)]
    public void FakeGooglebot_Address_ExitStatus(string address, int expected)
    {
        Assert.True(File.Exists(Script), Script);
        var info = new ProcessStartInfo(Script, [address]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["PATH"] = _bin + ":/usr/bin:/bin";
        using var process = Process.Start(info)!;
        process.WaitForExit();

        Assert.Equal(expected, process.ExitCode);
        if (expected == 2)
        {
            Assert.False(File.Exists(Path.Join(_bin, "calls")), "no lookup for what is no address");
        }
    }
}
