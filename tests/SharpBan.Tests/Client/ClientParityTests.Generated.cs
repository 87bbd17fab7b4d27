namespace SharpBan.Tests.Client;

/// <summary>
/// Generated <c>set</c> commands, each followed by the matching <c>get</c>: the jail and server options users change at
/// run time, with the spellings they type (time abbreviations, booleans, numbers with blanks, zones, some bad values).
/// </summary>
public sealed partial class ClientParityTests
{
    private static readonly string[] Times = ["1h", "-1", "0", "600", " 5 ", "1d2h", "2w", "1mo", "1y", "3 days", "1.5", "10m 30s", "1h30m"];
    private static readonly string[] Counts = ["3", "0", "10", " 5 ", "-1", "1"];
    private static readonly string[] Booleans = ["true", "false", "yes", "no", "1", "0", "on", "off", "True"];

    /// <summary>Jail options and values users give them (fail2ban evaluates bad time values with Python's <c>eval</c>; those are left out).</summary>
    private static readonly (string Option, string[] Values)[] JailOptions =
    [
        ("bantime", Times), ("findtime", Times), ("bantime.maxtime", Times), ("bantime.rndtime", Times),
        ("maxretry", Counts), ("maxmatches", Counts), ("maxlines", Counts),
        ("ignoreself", Booleans), ("bantime.increment", Booleans), ("bantime.overalljails", Booleans),
        ("bantime.factor", ["1", "2", "1.5", "0.5"]), ("bantime.multipliers", ["1 2 4 8", "1 5 30", ""]),
        ("usedns", ["yes", "no", "warn", "raw", "maybe"]),
        ("logtimezone", ["UTC", "UTC+0100", "UTC-05:30", "GMT", "", "Europe/Zurich"]),
        ("logencoding", ["utf-8", "latin-1", "ascii", "auto", "cp1251", "nosuch"]),
        ("datepattern", ["%Y-%m-%d %H:%M:%S", "{^LN-BEG}", "EPOCH", "{NONE}", "^%b %d %H:%M:%S"]),
    ];

    private static readonly (string Option, string[] Values)[] ServerOptions =
    [
        ("dbpurgeage", Times), ("dbmaxmatches", Counts),
        ("loglevel", ["INFO", "DEBUG", "WARNING", "off", "10", "TRACEDEBUG", "HEAVYDEBUG", "CRITICAL", "NOTICE", "info"]),
    ];

    [Fact]
    public async Task GeneratedSetAndGet_AnswersAreThoseOfFail2banClient()
    {
        if (!ReferenceServer.Available())
        {
            return; // outside CI without the reference; .ci/run installs it and sets SHARPBAN_REQUIRE_ORACLE=1
        }

        var random = new Random(20261126);
        var commands = new List<string[]>();
        for (var i = 0; i < 110; i++)
        {
            var server = random.Next(5) == 0;
            var (option, values) = server ? ServerOptions[random.Next(ServerOptions.Length)] : JailOptions[random.Next(JailOptions.Length)];
            var value = values[random.Next(values.Length)];
            commands.Add(server ? ["set", option, value] : ["set", "sshd", option, value]);
            commands.Add(server ? ["get", option] : ["get", "sshd", option]);
        }

        await AssertSameAnswersAsync([.. commands]);
    }
}
