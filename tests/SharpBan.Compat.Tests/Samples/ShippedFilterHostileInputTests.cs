using System.Text;
using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;
using Xunit.Abstractions;

namespace SharpBan.Compat.Tests.Samples;

/// <summary>
/// Hostile lines against every shipped filter, in every mode it offers: each annotated sample line of our own sample
/// logs, stretched the ways an attacker stretches what it controls (a long user name or path, a field repeated
/// thousands of times, runs of separators the filters look for). No line may make any regex of a shipped filter run
/// into the match timeout (catastrophic backtracking) or throw.
/// </summary>
public sealed class ShippedFilterHostileInputTests(ITestOutputHelper output)
{
    private static readonly string Config = Path.Join(AppContext.BaseDirectory, "config");
    private static readonly string Logs = Path.Join(AppContext.BaseDirectory, "SampleLogs");

    public static TheoryData<string> Filters() =>
        new(Directory.EnumerateFiles(Logs).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Filters))]
    public void ShippedFilter_HostileVariantsOfItsSampleLines_NoRegexTimeout(string name)
    {
        var cache = new ConfigFileCache(Config);
        var clock = new DateClock(TimeProvider.System, TimeZoneInfo.Utc);
        var dates = new DateTemplateCache(DateTime.UtcNow.Year);
        var samples = File.ReadLines(Path.Join(Logs, name)).Where(static l => l.Length > 0 && !l.StartsWith('#')).Take(12).ToList();
        var lines = samples.SelectMany(Variants).ToList();
        var checkedLines = 0;
        foreach (var mode in Modes(name))
        {
            var diagnostics = new List<ConfigDiagnostic>();
            var options = new OrderedDictionary<string, string>(StringComparer.Ordinal) { ["mode"] = mode };
            var settings = FilterSettingsReader.Read(cache, name, options, diagnostics) ?? throw new InvalidOperationException($"{name} not found");
            LogFilter filter;
            try
            {
                filter = new LogFilter(settings, FilterMode.RegexTool, clock, dates);
            }
            catch (Engine.Matching.Regex.PyRegexException) when (mode != "normal")
            {
                continue; // a mode this filter does not have (its name only occurs in the file's text)
            }

            foreach (var line in lines)
            {
                _ = filter.ProcessLine(line);
                checkedLines++;
            }

            Assert.True(filter.RegexTimeouts == 0, $"{name}[mode={mode}]: {filter.RegexTimeouts} searches ran into the timeout");
        }

        output.WriteLine($"{name}: {checkedLines} hostile lines");
        Assert.True(checkedLines > 0);
    }

    /// <summary>What an attacker appends to a name it chooses (a user name): the shapes in which filters find addresses.</summary>
    private static readonly string[] Decoys =
    [
        " from 203.0.113.250", " from 203.0.113.250 port 22 ssh2", " from 203.0.113.250 port 22 ssh2: x", "@203.0.113.250",
        ", rip=203.0.113.250, lip=192.0.2.1", " rhost=203.0.113.250", " [203.0.113.250]", "[203.0.113.250]", " (203.0.113.250)",
        " 203.0.113.250", ": 203.0.113.250", " ip=203.0.113.250", " client 203.0.113.250", "\" from 203.0.113.250",
        "' from 203.0.113.250", " from <203.0.113.250>", " host=203.0.113.250", " IP: 203.0.113.250", " 203.0.113.250:22",
    ];

    /// <summary>
    /// The user name is the attacker's choice in every protocol, and so is a quoted field of a text log (request line,
    /// referrer, user agent): each annotated sample line with a user or a quoted field, with it followed by text naming
    /// another address, in every mode, either matches nothing or blames the address the line's own service wrote,
    /// never the one the client wrote.
    /// </summary>
    [Theory]
    [MemberData(nameof(Filters))]
    public void ShippedFilter_AddressTheClientWrote_NeverBlamed(string name)
    {
        var cache = new ConfigFileCache(Config);
        var clock = new DateClock(TimeProvider.System, TimeZoneInfo.Utc);
        var dates = new DateTemplateCache(DateTime.UtcNow.Year);
        var cases = UserCases(name).ToList();
        var checkedLines = 0;
        var blamed = new List<string>();
        foreach (var mode in Modes(name))
        {
            var diagnostics = new List<ConfigDiagnostic>();
            var options = new OrderedDictionary<string, string>(StringComparer.Ordinal) { ["mode"] = mode };
            var settings = FilterSettingsReader.Read(cache, name, options, diagnostics) ?? throw new InvalidOperationException($"{name} not found");
            foreach (var (line, user) in cases)
            {
                foreach (var decoy in Decoys)
                {
                    LogFilter filter;
                    try
                    {
                        filter = new LogFilter(settings, FilterMode.RegexTool, clock, dates); // a fresh one: no state from other lines
                    }
                    catch (Engine.Matching.Regex.PyRegexException) when (mode != "normal")
                    {
                        goto nextMode;
                    }

                    var hostile = line.Replace(user, user + decoy, StringComparison.Ordinal);
                    if (filter.ProcessLine(hostile).Any(static h => h.IsFailure && h.Id!.StartsWith("203.0.113.250", StringComparison.Ordinal)))
                    {
                        blamed.Add($"[mode={mode}] {hostile}");
                    }

                    checkedLines++;
                }
            }

        nextMode:;
        }

        output.WriteLine($"{name}: {cases.Count} client-written fields, {checkedLines} hostile variants");
        Assert.True(blamed.Count == 0, $"{name}: the address the client wrote was blamed:\n" + string.Join("\n", blamed.Take(10)));
    }

    /// <summary>Annotated matching lines of the sample log, each with a user name or quoted field written once in it.</summary>
    private static IEnumerable<(string Line, string User)> UserCases(string name)
    {
        string? annotation = null;
        foreach (var line in File.ReadLines(Path.Join(Logs, name)))
        {
            if (line.StartsWith("# failJSON:", StringComparison.Ordinal))
            {
                annotation = line["# failJSON:".Length..];
                continue;
            }

            if (line.StartsWith('#') || line.Length == 0 || annotation is null)
            {
                continue;
            }

            using var json = System.Text.Json.JsonDocument.Parse(annotation);
            annotation = null;
            var root = json.RootElement;
            if (!root.TryGetProperty("match", out var match) || match.ValueKind != System.Text.Json.JsonValueKind.True)
            {
                continue;
            }

            if (root.TryGetProperty("user", out var u) && u.ValueKind == System.Text.Json.JsonValueKind.String
                && u.GetString() is { Length: >= 2 } user && line.Split(user).Length == 2)
            {
                yield return (line, user);
            }

            // a quoted field of a text log (request line, referrer, user agent, a name in quotes) is the client's text too;
            // in a JSON log the quotes are the format's own
            foreach (System.Text.RegularExpressions.Match quoted in line.StartsWith('{')
                         ? Enumerable.Empty<System.Text.RegularExpressions.Match>()
                         : System.Text.RegularExpressions.Regex.Matches(line, "\"([^\"]{2,})\""))
            {
                if (line.Split(quoted.Groups[1].Value).Length == 2)
                {
                    yield return (line, quoted.Groups[1].Value);
                }
            }
        }
    }

    /// <summary>The mode names the filter's file mentions, normal always (a name that is no mode fails to load and is skipped).</summary>
    private static IEnumerable<string> Modes(string name)
    {
        var text = File.ReadAllText(Path.Join(Config, "filter.d", name + ".conf"));
        var modes = new SortedSet<string>(StringComparer.Ordinal) { "normal" };
        foreach (var word in new[] { "ddos", "extra", "aggressive", "auth", "rbl", "errors", "more" })
        {
            if (text.Contains(word, StringComparison.Ordinal))
            {
                modes.Add(word);
            }
        }

        return modes;
    }

    /// <summary>The line, and the line with each word, each run of punctuation, and its tail stretched.</summary>
    private static IEnumerable<string> Variants(string line)
    {
        yield return line;
        var words = line.Split(' ');
        for (var i = 3; i < words.Length; i++)
        {
            // one word repeated as a long word, and the text from there repeated many times
            var stretched = (string[])words.Clone();
            stretched[i] = string.Concat(Enumerable.Repeat(words[i].Length > 0 ? words[i] : "x", 2000 / Math.Max(1, words[i].Length)));
            yield return string.Join(' ', stretched);
            yield return string.Join(' ', words[..i]) + " " + string.Concat(Enumerable.Repeat(string.Join(' ', words[i..]) + " ", 60));
        }

        var sb = new StringBuilder(line);
        foreach (var piece in new[] { " ", "\"", "'", ",", ": ", " from ", ", client: ", " [", "(", "=", "\\" })
        {
            sb.Clear().Append(line).Append(string.Concat(Enumerable.Repeat(piece, 3000)));
            yield return sb.ToString();
            var middle = line.Length / 2;
            yield return line[..middle] + string.Concat(Enumerable.Repeat(piece + "a", 1500)) + line[middle..];
        }
    }
}
