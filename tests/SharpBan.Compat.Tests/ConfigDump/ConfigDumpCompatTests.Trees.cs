using System.Globalization;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;

namespace SharpBan.Compat.Tests.ConfigDump;

/// <summary>
/// Whole generated configuration trees (<see cref="ConfigTreeGenerator"/>) read by both clients: <c>-d</c> prints the
/// same commands in the same order with the same exit code, <c>-t</c> gives the same verdict. Where fail2ban gives up
/// on the whole configuration and SharpBan only on the broken jail, or refuses a file SharpBan reads (see
/// docs/compatibility.md), the difference must be exactly that one.
/// </summary>
public sealed partial class ConfigDumpCompatTests
{
    /// <summary>
    /// The seeds CI runs (200: about 40 s, every mistake at least twice); <c>SHARPBAN_CONFIG_TREE_SEEDS=0-999</c> (or <c>5,17</c>) runs others locally, and
    /// <c>SHARPBAN_CONFIG_TREE_KEEP=DIR</c> keeps each tree as <c>DIR/seed-N</c> to run both clients on by hand.
    /// </summary>
    public static TheoryData<int> TreeSeeds() => new(SeedsFromEnvironment() ?? Enumerable.Range(0, 200));

    [OracleTheory]
    [MemberData(nameof(TreeSeeds))]
    public void DumpAndTest_GeneratedTree_SameAsReference(int seed)
    {
        var tree = ConfigTreeGenerator.Generate(seed);
        using var temp = new TempDirectory();
        tree.WriteTo(temp.Path);
        if (Environment.GetEnvironmentVariable("SHARPBAN_CONFIG_TREE_KEEP") is { Length: > 0 } keep)
        {
            tree.WriteTo(Path.Join(keep, "seed-" + seed.ToString(CultureInfo.InvariantCulture)));
        }
        var reference = ReferenceFail2Ban.DumpWithLog(temp.Path);
        var referenceTest = ReferenceFail2Ban.TestExit(temp.Path);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var testOutput = new StringWriter();
        var dumpExit = SharpBan.Client.ConfigDump.Run(temp.Path, new Dictionary<string, string>(), stdout, stderr);
        var testExit = SharpBan.Client.ConfigTest.Run(temp.Path, new Dictionary<string, string>(), testOutput);
        var ours = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(static l => l.StartsWith('[')).Select(static l => JsonNode.Parse(l)!).ToList();
        var refused = stdout.ToString().StartsWith("ERROR: ", StringComparison.Ordinal);

        output.WriteLine($"seed {seed}, mistake {tree.Mistake}; fail2ban -d {reference.Exit} -t {referenceTest}; ours -d {dumpExit} -t {testExit}");
        output.WriteLine("fail2ban's failure: " + FailureLine(reference.Error));
        output.WriteLine("our diagnostics:\n" + testOutput);
        foreach (var (path, text) in tree.Files.Where(static f => f.Value.Length > 0).OrderBy(static f => f.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"--- {path}\n{text}");
        }

        if (reference.Stream is null && !refused && IsAbortedOnJail(reference.Error))
        {
            // deliberate: fail2ban drops the whole configuration, SharpBan only the jail (docs/compatibility.md)
            Assert.Contains(ours, static c => c[0]!.GetValue<string>() == "config-error");
            Assert.Equal(255, referenceTest);
            Assert.Equal(255, testExit);
            return;
        }

        if (reference.Stream is null && !refused && tree.Mistake is Mistake.LocalIncludesItsConf or Mistake.IncludeLoopThroughParent)
        {
            // deliberate: fail2ban includes x.local after x.conf after x.local …, or a/../x.conf in x.conf, until Python's
            // recursion limit
            Assert.Contains("maximum recursion depth exceeded", FailureLine(reference.Error), StringComparison.Ordinal);
            return;
        }

        if (reference.Stream is null && !refused && tree.Mistake == Mistake.ByteOrderMark)
        {
            // deliberate: a byte order mark is read as UTF-8's, fail2ban's parser sees U+FEFF before the first header
            Assert.Contains("\\ufeff", reference.Error, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(reference.Stream is null, refused);
        if (refused)
        {
            Assert.Equal(reference.Output, stdout.ToString().ReplaceLineEndings("\n"));
        }
        else
        {
            var (onlyReference, onlyOurs) = StreamComparison.Difference(reference.Stream!, ours);
            foreach (var line in onlyReference.Take(20))
            {
                output.WriteLine("only in fail2ban: " + line);
            }

            foreach (var line in onlyOurs.Take(20))
            {
                output.WriteLine("only in sharpban: " + line);
            }

            Assert.Empty(onlyReference);
            Assert.Empty(onlyOurs);
            Assert.Equal(reference.Stream!.Select(StreamComparison.Normalize), ours.Select(StreamComparison.Normalize));
        }

        Assert.Equal(reference.Exit, dumpExit);
        if (referenceTest == 0 && testExit != 0)
        {
            // deliberate: a missing .conf include is an error for SharpBan, silently skipped by fail2ban
            Assert.All(
                testOutput.ToString().Split('\n').Where(static l => l.Contains(": error: ", StringComparison.Ordinal)),
                static l => Assert.Contains("included file", l, StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(referenceTest, testExit);
        }
    }

    /// <summary>
    /// The generator itself: a tree without a mistake is valid INI and nearly always starts a jail (else both readers
    /// refuse it or print no jail, and little is compared).
    /// </summary>
    [Fact]
    public void Generate_TreesWithoutAMistake_AreValidIniWithJails()
    {
        var (trees, withJails) = (0, 0);
        foreach (var seed in Enumerable.Range(0, 200))
        {
            var tree = ConfigTreeGenerator.Generate(seed);
            if (tree.Mistake != Mistake.None)
            {
                continue;
            }

            using var temp = new TempDirectory();
            tree.WriteTo(temp.Path);
            var resolution = SharpBan.Engine.Config.Resolution.ConfigResolver.Resolve(temp.Path, new() { AllowMissingLogs = true });
            Assert.False(resolution.HasSyntaxErrors, $"seed {seed}: " + string.Join("; ", resolution.Diagnostics.Where(static d => d.IsSyntax)));
            trees++;
            withJails += resolution.Stream.Any(static c => c[0] is "start") ? 1 : 0;
        }

        Assert.True(withJails >= trees * 9 / 10, $"only {withJails} of {trees} trees start a jail");
    }

    /// <summary>fail2ban's log line that says why it printed no stream.</summary>
    private static string FailureLine(string log) =>
        log.Split('\n').FirstOrDefault(static l => l.Contains("Failed during configuration", StringComparison.Ordinal)) ?? "(none)";

    /// <summary>fail2ban gave up on everything because of one jail's value, tag or action (not a file it could not parse).</summary>
    private static bool IsAbortedOnJail(string log) =>
        FailureLine(log) is var line
        && ((string[])["Bad value substitution", "Recursion limit exceeded", "Error in action definition", "self referencing definitions",
            "bad interpolation variable reference", "'%' must be followed by", "No closing quotation"]).Any(m => line.Contains(m, StringComparison.Ordinal));

    private static IEnumerable<int>? SeedsFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("SHARPBAN_CONFIG_TREE_SEEDS");
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return text.Split(',').SelectMany(static part =>
        {
            var range = part.Split('-', 2);
            var first = int.Parse(range[0], CultureInfo.InvariantCulture);
            return range.Length == 1 ? [first] : Enumerable.Range(first, int.Parse(range[1], CultureInfo.InvariantCulture) - first + 1);
        });
    }
}
