using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using SharpBan.Metrics;

namespace SharpBan.Tests.Metrics;

public class PrometheusTextTests
{
    private static MetricFamily Jails(string name, MetricType type, params (string Jail, double Value)[] values) =>
        new(name, type, "help", [.. values.Select(v => MetricSample.Labelled("jail", v.Jail, v.Value))]);

    [Fact]
    public void Render_Families_HelpTypeThenSamplesEachLineEndingInLineFeed()
    {
        var text = PrometheusText.Render(
        [
            new("sharpban_jails", MetricType.Gauge, "Jails the daemon has.", [new(2)]),
            Jails("sharpban_jail_banned_total", MetricType.Counter, ("nginx", 0), ("sshd", 7)),
            new("sharpban_build_info", MetricType.Gauge, "Versions.", [new([new("version", "1.2.3"), new("fail2ban_version", "1.0.2")], 1)]),
        ]);

        Assert.Equal(
            """
            # HELP sharpban_jails Jails the daemon has.
            # TYPE sharpban_jails gauge
            sharpban_jails 2
            # HELP sharpban_jail_banned_total help
            # TYPE sharpban_jail_banned_total counter
            sharpban_jail_banned_total{jail="nginx"} 0
            sharpban_jail_banned_total{jail="sshd"} 7
            # HELP sharpban_build_info Versions.
            # TYPE sharpban_build_info gauge
            sharpban_build_info{version="1.2.3",fail2ban_version="1.0.2"} 1

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Render_LabelValue_EscapesBackslashQuoteAndLineFeedOnly()
    {
        var text = PrometheusText.Render([Jails("sharpban_jail_failed_current", MetricType.Gauge, ("a\\b\"c\nd\te}f,g=h", 1))]);

        Assert.Contains("sharpban_jail_failed_current{jail=\"a\\\\b\\\"c\\nd\te}f,g=h\"} 1\n", text, StringComparison.Ordinal);
        var sample = Assert.Single(Assert.Single(ExpositionParser.Parse(text)).Samples);
        Assert.Equal("a\\b\"c\nd\te}f,g=h", sample.Labels["jail"]);
    }

    [Fact]
    public void Render_HelpText_EscapesBackslashAndLineFeedButNotQuotes()
    {
        var text = PrometheusText.Render([new("x_total", MetricType.Counter, "a \"b\" \\ c\nd", [new(1)])]);

        Assert.StartsWith("# HELP x_total a \"b\" \\\\ c\\nd\n# TYPE x_total counter\n", text, StringComparison.Ordinal);
        Assert.Equal("a \"b\" \\ c\nd", Assert.Single(ExpositionParser.Parse(text)).Help);
    }

    [Fact]
    public void Render_FamilyWithoutSamples_IsHelpAndTypeOnly()
    {
        var text = PrometheusText.Render([Jails("sharpban_jail_banned_total", MetricType.Counter)]);
        Assert.Equal("# HELP sharpban_jail_banned_total help\n# TYPE sharpban_jail_banned_total counter\n", text);
        Assert.Empty(Assert.Single(ExpositionParser.Parse(text)).Samples);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(-0.0, "0")]
    [InlineData(7, "7")]
    [InlineData(-2, "-2")]
    [InlineData(1.5, "1.5")]
    [InlineData(1795687908.692, "1795687908.692")]
    [InlineData(9007199254740991, "9007199254740991")]
    [InlineData(9007199254740992, "9007199254740992")]
    [InlineData(1e300, "1E+300")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void FormatValue_Number_IsWhatGoParseFloatReads(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatValue(value));

    private static readonly Dictionary<string, MetricFamily> BadFamilies = new(StringComparer.Ordinal)
    {
        ["'1x' is not a metric name"] = new("1x", MetricType.Gauge, "h", []),
        ["'a-b' is not a metric name"] = new("a-b", MetricType.Gauge, "h", []),
        ["'' is not a metric name"] = new("", MetricType.Gauge, "h", []),
        ["counter sharpban_bans must end in _total"] = new("sharpban_bans", MetricType.Counter, "h", []),
        ["'__jail' is not a label name (g)"] = new("g", MetricType.Gauge, "h", [MetricSample.Labelled("__jail", "x", 1)]),
        ["'jail:name' is not a label name (g)"] = new("g", MetricType.Gauge, "h", [MetricSample.Labelled("jail:name", "x", 1)]),
        ["metric g has two samples with the same labels"] = Jails("g", MetricType.Gauge, ("sshd", 1), ("sshd", 2)),
    };

    public static TheoryData<string> BadFamilyMessages() => new(BadFamilies.Keys);

    [Theory]
    [MemberData(nameof(BadFamilyMessages))]
    public void Render_NameTheFormatRefuses_Throws(string message)
    {
        var e = Assert.Throws<ArgumentException>(() => PrometheusText.Render([BadFamilies[message]]));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SameFamilyTwice_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => PrometheusText.Render([new("g", MetricType.Gauge, "h", []), new("g", MetricType.Gauge, "h", [])]));
        Assert.StartsWith("metric family g given twice", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Whatever a jail is called, the text stays one line per sample and the name reads back unchanged.</summary>
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Render_AnyJailName_ReadsBackUnchanged() =>
        Prop.ForAll(HostileText(), HostileText(), RoundTrips);

    private static Arbitrary<string> HostileText() =>
        Gen.Elements("a", "Z", "0", "_", "\\", "\"", "\n", "\r", "\t", "{", "}", ",", "=", " ", "#", "\u00e9", "\u2028", "\0", "\\n")
            .ListOf()
            .Select(parts => string.Concat(parts))
            .ToArbitrary();

    private static bool RoundTrips(string jail, string help)
    {
        var text = PrometheusText.Render([new("sharpban_jail_failed_total", MetricType.Counter, help, [MetricSample.Labelled("jail", jail, 3)])]);
        var family = Assert.Single(ExpositionParser.Parse(text));
        return family.Help == help && Assert.Single(family.Samples).Labels["jail"] == jail && text.Count(c => c == '\n') == 3;
    }

    /// <summary>The real thing, where it is installed (Debian's <c>prometheus</c> package): <c>promtool check metrics</c>, lint included.</summary>
    [Fact]
    public async Task Render_DaemonLikeFamilies_PassPromtool()
    {
        const string promtool = "/usr/bin/promtool";
        var text = PrometheusText.Render(
        [
            new("sharpban_build_info", MetricType.Gauge, "Versions (value 1).", [new([new("version", "1.0.0"), new("fail2ban_version", "1.0.2")], 1)]),
            new("process_start_time_seconds", MetricType.Gauge, "Start time of the daemon since unix epoch in seconds.", [new(1795687908.692)]),
            Jails("sharpban_jail_failed_total", MetricType.Counter, ("odd \"name\"\\\n", 3), ("sshd", 1)),
            Jails("sharpban_jail_banned_current", MetricType.Gauge, ("odd \"name\"\\\n", 0), ("sshd", 1)),
        ]);
        _ = ExpositionParser.Parse(text);
        if (!File.Exists(promtool))
        {
            Assert.False(Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ORACLE") == "1", "promtool is required (.ci/run installs Debian's prometheus package)");
            return; // outside CI: the strict parser above has checked the text
        }

        var info = new ProcessStartInfo(promtool, ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && output.Length == 0, output);
    }
}
