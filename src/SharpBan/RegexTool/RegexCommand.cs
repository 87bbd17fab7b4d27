using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;
using SharpBan.Journal;
using SharpBan.Resolution;

using SharpBan.Server.Logging;

namespace SharpBan.RegexTool;

/// <summary><c>sharpban regex [options] LOG FILTER [IGNOREREGEX]</c>: the fail2ban-regex equivalent.</summary>
internal static class RegexCommand
{
    private const int ErrorExit = 255;

    public static Command Create()
    {
        var log = new Argument<string>("LOG") { Description = "log file, '-' for standard input, or a literal line" };
        var filter = new Argument<string>("FILTER") { Description = "filter name with options, filter file, or a literal failregex" };
        var ignore = new Argument<string?>("IGNOREREGEX") { Arity = ArgumentArity.ZeroOrOne, Description = "literal ignoreregex" };
        var config = new Option<string?>("--config", "-c") { Description = "configuration directory" }.LastWins();
        var datePattern = new Option<string?>("--datepattern", "-d") { Description = "date pattern (overrides the filter's)" }.LastWins();
        var timezone = new Option<string?>("--timezone", "--TZ") { Description = "zone of dates without one (logtimezone)" }.LastWins();
        var encoding = new Option<string?>("--encoding", "-e") { Description = "log file encoding", DefaultValueFactory = _ => "UTF-8" }.LastWins();
        var raw = new Option<bool>("--raw", "-r") { Description = "raw hosts: no DNS, ids kept as text" };
        var useDns = new Option<string?>("--usedns") { Description = "yes, warn, no or raw" }.LastWins();
        var maxLines = new Option<int?>("--maxlines", "-L") { Description = "lines buffered for multi-line regexes" }.LastWins();
        var journalMatch = new Option<string?>("--journalmatch", "-m") { Description = "journalctl-style matches overriding the filter's (LOG systemd-journal only)" }.LastWins();
        var logLevel = new Option<string?>("--log-level", "-l") { Description = "log level: CRITICAL (default), ERROR, WARNING, NOTICE, INFO, DEBUG or a number" }.LastWins();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "more detail: per-regex hits, all date templates (repeat for more)", Arity = ArgumentArity.Zero };
        var verbosity = new Option<int?>("--verbosity") { Description = "numerical level of verbosity (0..4)" }.LastWins();
        var verboseDate = new Option<bool>("--verbose-date", "--VD") { Description = "list all date templates" };
        var debuggex = new Option<bool>("--debuggex", "-D") { Description = "debuggex.com links for the printed lines and regexes" };
        var logTraceback = new Option<bool>("--log-traceback", "-t") { Description = "errors print where they were raised" };
        var fullTraceback = new Option<bool>("--full-traceback") { Description = "with -t: the whole stack" };
        var shortVersion = new Option<bool>("-V") { Description = $"print the fail2ban version reproduced ({SharpBanVersion.Fail2Ban}) and exit", Action = new PrintAction(SharpBanVersion.Fail2Ban) };
        var version = new Option<bool>("--version") { Description = "print the version and exit", Action = new PrintAction($"sharpban regex {SharpBanVersion.Own} (fail2ban-regex {SharpBanVersion.Fail2Ban})") };
        var noCheckAll = new Option<bool>("--no-check-all") { Description = "stop at the first matching failregex" };
        var outOption = new Option<string?>("--out", "-o") { Description = "print only failures: id, ip, msg, row, a group name, or a template with <tags>" }.LastWins();
        var printNoMissed = new Option<bool>("--print-no-missed");
        var printNoIgnored = new Option<bool>("--print-no-ignored");
        var printAllMatched = new Option<bool>("--print-all-matched");
        var printAllMissed = new Option<bool>("--print-all-missed");
        var printAllIgnored = new Option<bool>("--print-all-ignored");
        var json = new Option<bool>("--json") { Description = "NDJSON on standard output, one object per failure" };
        var now = new Option<double?>("--now") { Description = "reference now, unix seconds (year guessing, undated lines)" }.LastWins();
        var journal = new Option<bool>("--journal") { Description = "each input line is a journal message (no date in it, time = now)" };

        var command = new Command("regex", "Test filters against log lines (fail2ban-regex equivalent).")
        {
            log, filter, ignore, config, datePattern, timezone, encoding, raw, useDns, maxLines, journalMatch, logLevel,
            verbose, verbosity, verboseDate, debuggex, logTraceback, fullTraceback, shortVersion, version, noCheckAll, outOption, printNoMissed, printNoIgnored, printAllMatched, printAllMissed,
            printAllIgnored, json, now, journal,
        };
        command.SetAction(parse =>
        {
            var options = new RegexToolOptions
            {
                Log = parse.GetValue(log)!,
                Filter = parse.GetValue(filter)!,
                IgnoreRegex = parse.GetValue(ignore),
                ConfigDirectory = parse.GetValue(config) ?? DefaultConfigDirectory(Directory.Exists),
                DatePattern = parse.GetValue(datePattern),
                TimeZone = parse.GetValue(timezone),
                Encoding = parse.GetValue(encoding) ?? "UTF-8",
                Raw = parse.GetValue(raw),
                UseDns = parse.GetValue(useDns),
                MaxLines = parse.GetValue(maxLines),
                JournalMatch = parse.GetValue(journalMatch),
                Verbose = parse.GetValue(verbosity) ?? parse.GetResult(verbose)?.IdentifierTokenCount ?? 0,
                VerboseDate = parse.GetValue(verboseDate),
                Debuggex = parse.GetValue(debuggex),
                LogTraceback = parse.GetValue(logTraceback),
                FullTraceback = parse.GetValue(fullTraceback),
                CheckAllRegex = !parse.GetValue(noCheckAll),
                Out = parse.GetValue(outOption),
                PrintNoMissed = parse.GetValue(printNoMissed),
                PrintNoIgnored = parse.GetValue(printNoIgnored),
                PrintAllMatched = parse.GetValue(printAllMatched),
                PrintAllMissed = parse.GetValue(printAllMissed),
                PrintAllIgnored = parse.GetValue(printAllIgnored),
                Json = parse.GetValue(json),
                Now = parse.GetValue(now),
                Journal = parse.GetValue(journal),
            };
            if (!LogSink.TryParseLevel(parse.GetValue(logLevel) ?? "CRITICAL", out var level))
            {
                parse.InvocationConfiguration.Error.WriteLine($"ERROR: Invalid log level '{parse.GetValue(logLevel)}'");
                return 1; // fail2ban-regex: a ValueError, exit 1
            }

            options = options with { LogLevel = level };
            var exclusive = new List<string>();
            if (options.PrintNoMissed && options.PrintAllMissed)
            {
                exclusive.Add("ERROR: --print-no-missed and --print-all-missed are mutually exclusive.");
            }

            if (options.PrintNoIgnored && options.PrintAllIgnored)
            {
                exclusive.Add("ERROR: --print-no-ignored and --print-all-ignored are mutually exclusive.");
            }

            if (exclusive.Count > 0)
            {
                parse.InvocationConfiguration.Error.WriteLine("\n" + string.Join("\n", exclusive));
                return ErrorExit;
            }

            return Run(options, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    /// <summary>
    /// <c>/etc/sharpban</c>, else fail2ban-regex's default <c>/etc/fail2ban</c>, else the shipped configuration (a machine
    /// that never had fail2ban still finds <c>sshd</c> and the other filters).
    /// </summary>
    internal static string DefaultConfigDirectory(Func<string, bool> exists) =>
        exists(SharpBan.ConfigDirectory.SystemDirectory) ? SharpBan.ConfigDirectory.SystemDirectory
        : exists(FailRegexDefault) ? FailRegexDefault
        : SharpBan.ConfigDirectory.Shipped();

    internal const string FailRegexDefault = "/etc/fail2ban";

    public static int Run(RegexToolOptions options, TextWriter stdout, TextWriter stderr)
    {
        var header = new List<string>();
        try
        {
            return RunChecked(options, stdout, stderr, header);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Engine.Matching.Regex.PyRegexException
            or ConfigException or FormatException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            // deliberate: bad input (filter, regex, options, log, journal) ends the run with its message, as fail2ban-regex:
            // on standard output after what the report had shown so far; with --json on standard error (stdout stays NDJSON)
            var o = options.Json ? stderr : stdout;
            if (!options.Json && options.Out is null)
            {
                RegexReport.WriteBanner(o, header);
            }

            WriteError(o, e, options);
            o.Flush();
            return ErrorExit;
        }
    }

    /// <summary>"ERROR: message"; with <c>-t</c> also where it was raised, with <c>--full-traceback</c> the whole stack.</summary>
    private static void WriteError(TextWriter o, Exception e, RegexToolOptions options)
    {
        o.WriteLine("ERROR: " + e.Message);
        if (options.FullTraceback)
        {
            o.WriteLine(e.ToString());
        }
        else if (options.LogTraceback)
        {
            var frame = e.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            o.WriteLine($"  {e.GetType().FullName} {frame ?? "(no stack)"}");
        }
    }

    /// <param name="header">Filled with the "Use …" lines as the set-up gets through them (shown with an error too).</param>
    private static int RunChecked(RegexToolOptions options, TextWriter stdout, TextWriter stderr, List<string> header)
    {
        TimeProvider time = options.Now is { } n
            ? new FixedTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(n * 1000)))
            : TimeProvider.System;
        var encoding = LogEncoding.Get(options.Encoding);
        var journal = !File.Exists(options.Log) && options.Log.StartsWith("systemd-journal", StringComparison.Ordinal);
        var machine = options.Json || options.Out is not null;
        var clock = new DateClock(time, TimeZoneInfo.Local);
        var dates = DateTemplateCache.ForClock(TimeProvider.System);
        using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        var writer = stdout == Console.Out ? output : stdout;

        // the log goes where fail2ban-regex writes it, standard output: in the report among and after the "Use …" lines,
        // with -o among the failures (standard error with --json: stdout stays NDJSON)
        using var log = new StringWriter();
        var logWriter = options.Json ? stderr : options.Out is not null ? writer : log;
        var logGate = new Lock();
        string? HeaderLog(string logger, string message) => HeaderLogAt(logger, message, LogLevel.Information);
        string? HeaderLogAt(string logger, string message, LogLevel level)
        {
            var line = new RegexToolLogger(logger, options.LogLevel, options.Verbose, logWriter, logGate, TimeProvider.System)
                .Line(level, default, message);
            if (line is null || !machine)
            {
                return line; // the report shows it among the "Use …" lines
            }

            logWriter.WriteLine(line);
            return null;
        }

        if (options.UseDns is { } useDns && !UseDnsParser.TryParse(useDns, out _)
            && HeaderLogAt("fail2ban.filter", UseDnsParser.InvalidMessage(useDns), LogLevel.Error) is { } invalid)
        {
            header.Add(invalid); // fail2ban-regex's filter says so first, before the filter file is read
        }

        var diagnostics = new List<ConfigDiagnostic>();
        var resolved = FilterSource.Resolve(options.Filter, options.ConfigDirectory, diagnostics, journal ? "systemd" : "auto");
        if (diagnostics.FirstOrDefault(static d => d.IsSyntax) is { } broken)
        {
            // as fail2ban-regex: a filter file that is not valid INI is not used at all; what was said before stays
            var given = new FilterSettings { DatePattern = options.DatePattern, MaxLines = options.MaxLines is > 0 and var m ? m : 1, LogTimeZone = options.TimeZone };
            RegexHeader.Filter(header, options, resolved, given, () => LogFilter.CreateDateDetector(given, clock, dates), HeaderLog, upToTheFilterFile: true);
            header.Add("Wrong config file: " + broken);
            throw new ConfigException($"failed to load filter {options.Filter}");
        }

        if (options.MaxLines < 0)
        {
            throw new ArgumentException("maxlines must be integer greater than zero"); // fail2ban's filter refuses it (0 means "not given")
        }

        var settings = resolved.Settings;
        if (options.IgnoreRegex is { } ig)
        {
            settings = settings with { IgnoreRegex = [.. settings.IgnoreRegex, ig] };
        }

        if (options.DatePattern is not null)
        {
            settings = settings with { DatePattern = options.DatePattern };
        }

        if (options.MaxLines is > 0 and var ml)
        {
            settings = settings with { MaxLines = ml };
        }

        if (options.TimeZone is not null)
        {
            settings = settings with { LogTimeZone = options.TimeZone };
        }

        if (options.UseDns is not null)
        {
            _ = UseDnsParser.TryParse(options.UseDns, out var dnsMode); // unknown → no, as fail2ban
            settings = settings with { UseDns = dnsMode };
        }

        var mode = FilterMode.RegexTool with
        {
            CheckAllRegex = options.CheckAllRegex && !machine,
            ReturnRawHost = options.Raw,
            IgnorePending = machine,
            TrackPrefRegex = !machine, // only the human report shows the prefregex count
        };
        RegexHeader.Filter(header, options, resolved, settings, () => LogFilter.CreateDateDetector(settings, clock, dates), HeaderLog);
        var dnsLog = new RegexToolLogger("fail2ban.ipdns", options.LogLevel, options.Verbose, logWriter, logGate, TimeProvider.System);
        var filterLog = new RegexToolLogger("fail2ban.filter", options.LogLevel, options.Verbose, logWriter, logGate, TimeProvider.System);
        var filter = new LogFilter(settings, mode, clock, dates, options.Raw ? NoDnsResolver.Instance : new SystemDnsResolver(dnsLog))
        {
            TimingWarnings = new TimingWarnings(filterLog, "~jailless~", clock), // fail2ban-regex's filter has no jail
        };
        Action<long, FilterHit>? onFailure = options.Json
            ? (line, hit) => FailureOutput.WriteJson(writer, line, hit)
            : options.Out is { } fmt ? (_, hit) => FailureOutput.WriteOut(writer, fmt, hit, () => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0) : null;
        var runner = new RegexRunner(filter, options, time, onFailure);
        if (journal)
        {
            // fail2ban-regex: -m replaces the filter's journalmatch (of which only the last line counts)
            var match = options.JournalMatch is { } m ? ShellWords.Split(m) : resolved.JournalMatch;
            header.AddRange(RegexHeader.Journal(options.Encoding, match, HeaderLog));
            var selection = JournalArguments.Build(options.Log, match is { Count: > 0 } ? JournalArguments.SplitGroups(match) : []);
            runner.Run(JournalReader.ReadAll(selection).Select(static e => (e.Line, e.Time)));
        }
        else
        {
            IEnumerable<string> lines;
            if (options.Log == "-")
            {
                lines = LogLines.Read(new StreamReader(Console.OpenStandardInput(), encoding), dropIncompleteLast: false);
                header.AddRange(RegexHeader.LogFile("stdin", options.Encoding));
            }
            else if (File.Exists(options.Log))
            {
                // as fail2ban-regex (its FileContainer waits for a line's end): a last line without a newline is not read
                StreamReader reader;
                try
                {
                    reader = new StreamReader(options.Log, encoding, false, new FileStreamOptions { BufferSize = 1 << 16 });
                }
                catch (UnauthorizedAccessException)
                {
                    throw new IOException($"[Errno 13] Permission denied: {PyText.Repr(options.Log)}"); // Python's words
                }

                lines = LogLines.Read(reader, dropIncompleteLast: true);
                header.AddRange(RegexHeader.LogFile(options.Log, options.Encoding));
            }
            else
            {
                var single = filter.MaxLines <= 1 && !options.Log.Contains('\n', StringComparison.Ordinal);
                var split = single ? [options.Log] : options.Log.Split('\n');
                header.AddRange(RegexHeader.Literal(options.Log, single, split));
                lines = split;
            }

            var progress = Console.IsErrorRedirected || options.Log == "-" ? null : Progress(options.Log, stderr);
            runner.Run(lines, progress);
            if (progress is not null)
            {
                stderr.Write("\r\x1b[K");
            }
        }

        if (onFailure is null)
        {
            // the journal without a datepattern has no date detector (dates come with the entries)
            RegexReport.Write(writer, filter, options, runner.Stats, header, time.GetUtcNow(), dateDetector: !journal || settings.DatePattern is not null,
                log: log.ToString());
        }

        writer.Flush();
        return 0;
    }

    private static Action<long>? Progress(string path, TextWriter stderr)
    {
        if (!File.Exists(path) || new FileInfo(path).Length < 16 << 20)
        {
            return null;
        }

        return n => stderr.Write(string.Create(CultureInfo.InvariantCulture, $"\r{n:N0} lines…"));
    }
}
