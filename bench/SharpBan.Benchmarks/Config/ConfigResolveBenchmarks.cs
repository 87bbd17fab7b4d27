using BenchmarkDotNet.Attributes;
using SharpBan.Engine.Config.Resolution;

namespace SharpBan.Benchmarks.Config;

/// <summary>
/// Resolving Debian's /etc/fail2ban with every jail enabled (issue 2, case a): INI parsing, includes, interpolation,
/// filter and action resolution for ~91 jails, in process (no process start-up).
/// </summary>
[MemoryDiagnoser]
public class ConfigResolveBenchmarks
{
    private string _directory = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("sharpban-bench-").FullName;
        var source = Environment.GetEnvironmentVariable("SHARPBAN_BENCH_CONFIG") ?? "/etc/fail2ban";
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Join(_directory, Path.GetRelativePath(source, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Join(_directory, Path.GetRelativePath(source, file)));
        }

        File.WriteAllText(Path.Join(_directory, "jail.local"), "[DEFAULT]\nenabled = true\nbackend = polling\n");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public int ResolveDebianAllJails() =>
        ConfigResolver.Resolve(_directory, new ResolveOptions { AllowMissingLogs = true }).Stream.Count;
}
