using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SharpBan.Engine.Matching;

namespace SharpBan.RegexTool;

/// <summary>Machine output: <c>--json</c> (NDJSON, one object per failure) and <c>-o/--out</c> tokens or templates.</summary>
internal static partial class FailureOutput
{
    private static readonly HashSet<string> Internal = new(StringComparer.Ordinal) { "matches", "nofail-matches", "mlfpending" };

    /// <summary>
    /// The keys <c>--json</c> always writes. A captured field of the same name (<c>&lt;F-TIME&gt;</c>, <c>&lt;F-LINE&gt;</c>,
    /// a legacy <c>(?P&lt;host&gt;…)</c> group) is written as <c>f-time</c>, <c>f-line</c>, <c>f-host</c>: an object
    /// never holds a name twice, and log text never takes the place of the line number, the failure id or the time.
    /// </summary>
    private static readonly HashSet<string> Fixed = new(StringComparer.Ordinal) { "line", "host", "time", "matches" };

    [GeneratedRegex(@"<([^<>\s]+)>")]
    private static partial Regex Tag();

    /// <summary>Log text stays readable (<c>+0100</c>, <c>&lt;</c>, non-ASCII letters); quotes, backslashes and controls are escaped.</summary>
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteJson(TextWriter o, long line, FilterHit hit)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("line", line);
            w.WriteString("host", hit.Id);
            if (hit.Time is { } t)
            {
                w.WriteNumber("time", t);
            }
            else
            {
                w.WriteNull("time");
            }

            w.WriteStartArray("matches");
            foreach (var m in hit.Matches)
            {
                w.WriteStringValue(m.ToString());
            }

            w.WriteEndArray();
            foreach (var (name, value) in hit.Data.OrderBy(static kv => kv.Key, StringComparer.Ordinal))
            {
                // a group name is a Python identifier: no field is named f-… already
                var key = Fixed.Contains(name) ? "f-" + name : name;
                if (value is null || Internal.Contains(name) || name.StartsWith("__", StringComparison.Ordinal))
                {
                    continue;
                }

                switch (value)
                {
                    case string s:
                        w.WriteString(key, s);
                        break;
                    case IEnumerable<string> set:
                        w.WriteStartArray(key);
                        foreach (var v in set.Order(StringComparer.Ordinal))
                        {
                            w.WriteStringValue(v);
                        }

                        w.WriteEndArray();
                        break;
                    case object?[] tuple:
                        w.WriteStartArray(key);
                        foreach (var v in tuple)
                        {
                            w.WriteStringValue(v?.ToString());
                        }

                        w.WriteEndArray();
                        break;
                    default:
                        w.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            w.WriteEndObject();
        }

        o.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>fail2ban-regex <c>-o</c>: a token (<c>id ip msg row</c>, a group name) or a template with tags.</summary>
    /// <param name="now">Unix time for a failure without one (fail2ban's ticket takes the current time).</param>
    public static void WriteOut(TextWriter o, string format, FilterHit hit, Func<double> now)
    {
        switch (format)
        {
            case "id" or "fid":
                o.WriteLine(hit.Id);
                return;
            case "ip":
                o.WriteLine(hit.Data.GetValueOrDefault("ip") as string ?? hit.Id);
                return;
            case "msg":
                o.WriteLine(string.Join("\n", hit.Matches.Select(static m => m.ToString())));
                return;
            case "row":
                var groups = string.Join(", ", hit.Data.Where(static kv => !Internal.Contains(kv.Key)).Select(static kv => $"'{kv.Key}': {PyRepr.Value(kv.Value)}"));
                // the id's repr is the address's text quoted, but a tuple id (F-TUPLE_*) is the tuple itself
                var id = hit.Data.GetValueOrDefault("fid") is object?[] tuple && hit.Id == PyValue.TupleRepr(tuple) ? hit.Id : PyRepr.Value(hit.Id);
                o.WriteLine($"[{id},\t{Time(hit)},\t{{{groups}}}],");
                return;
        }

        if (!format.Contains('<', StringComparison.Ordinal))
        {
            // Python prints the value as str(): a string as it is, anything else (also a missing key: None) as its repr
            o.WriteLine(hit.Data.GetValueOrDefault(format) is { } v ? Str(v) : "None");
            return;
        }

        // as fail2ban-regex: a NUL in a tag's value is written as \x00 (except <msg>), and a template with <msg> over a
        // multi-line failure is written once per line, <msg> being that line
        string Render(string? msgLine) => Tag().Replace(format, m => m.Groups[1].Value == "msg" && msgLine is not null
            ? msgLine
            : TagValue(m.Groups[1].Value, hit, now) is { } v ? (m.Groups[1].Value == "msg" ? v : v.Replace("\0", "\\x00", StringComparison.Ordinal)) : m.Value);
        if (hit.Matches.Count > 1 && Tag().Matches(format).Any(static m => m.Groups[1].Value == "msg"))
        {
            foreach (var line in hit.Matches)
            {
                o.WriteLine(Render(line.ToString()));
            }

            return;
        }

        o.WriteLine(Render(null));
    }

    /// <summary>
    /// The tags of fail2ban's action info for a ticket made from the failure (what fail2ban-regex substitutes): the
    /// address as <c>ip</c> (the id unless an F-ID stands beside it), its family and reverse name, the id as
    /// <c>fid</c>, the counters of a fresh ticket, the ticket itself, the matched lines, and <c>F-*</c> groups;
    /// anything else stays as written. (fail2ban-regex fails with a Python error on the
    /// tags that need a jail: <c>bantime</c>, <c>ipmatches</c>, <c>ipfailures</c> …; they stay as written here.)
    /// </summary>
    private static string? TagValue(string tag, FilterHit hit, Func<double> now)
    {
        // <ip> is the ticket's address (the failure's own ip beside an F-ID, else the id), as Ticket.getIP
        var ip = hit.Data.GetValueOrDefault("ip") as string ?? hit.Id;
        switch (tag)
        {
            case "ip":
                return ip ?? "None";
            case "fid":
                return hit.Id ?? "None";
            case "family":
                return IpText.Family(ip) ?? "None";
            case "ip-rev":
                return IpText.ReverseName(ip);
            case "ip-host":
                return "None";
            case "time":
                return TicketTime(hit, now);
            case "failures":
                return Failures(hit);
            case "bancount" or "restored":
                return "0";
            case "raw-ticket":
                var matches = string.Join(", ", hit.Matches.Select(static m => $"({PyRepr.Str(m.Before)}, {PyRepr.Str(m.Date)}, {PyRepr.Str(m.After)})"));
                return $"BanTicket: ip={hit.Id ?? "None"} time={TicketTime(hit, now)} bantime=None bancount=0 #attempts={Failures(hit)} matches=[{matches}]";
            case "msg" or "matches":
                return string.Join("\n", hit.Matches.Select(static m => m.ToString()));
        }

        if (tag.StartsWith("F-", StringComparison.Ordinal))
        {
            var key = tag[2..].ToLowerInvariant() switch { "id" => "fid", "port" => "fport", var k => k };
            return hit.Data.GetValueOrDefault(key) is { } v ? Str(v) : "";
        }

        return null;
    }

    private static string TicketTime(FilterHit hit, Func<double> now) => hit.Time is null ? PyValue.FloatRepr(now()) : Time(hit);

    private static string Failures(FilterHit hit) => hit.Data.GetValueOrDefault("failures") is { } f ? Str(f) : "0";

    /// <summary>Python's <c>str()</c>: a string as it is, anything else as its <c>repr()</c>.</summary>
    private static string Str(object v) => v as string ?? PyRepr.Value(v);

    /// <summary>The failure's time as Python prints it: an int for TAI64N dates, else a float (<c>1124013600.0</c>).</summary>
    private static string Time(FilterHit hit) => hit.Time switch
    {
        null => "None",
        { } t when hit.IntegralTime => ((long)t).ToString(CultureInfo.InvariantCulture),
        { } t => PyValue.FloatRepr(t),
    };
}
