using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;
using SharpBan.Engine.Matching.Regex;
using SharpBan.Server;

namespace SharpBan.Client;

/// <summary>
/// For <c>client -t</c>: each jail's filter built from the configuration stream as the server builds it, command by
/// command. A regex or date pattern the server will refuse (it cannot compile, a failregex without a failure id) is a
/// warning naming the jail, the option and the reason. fail2ban's <c>-t</c> compiles none of them, so its verdict is
/// kept: the server starts the jail without what it refused and logs the same reason. An unknown backend, for which the
/// server does not add the jail at all, is a warning too.
/// </summary>
internal static class FilterCheck
{
    public static IEnumerable<ConfigDiagnostic> Run(IReadOnlyList<IReadOnlyList<object?>> stream)
    {
        var filters = new Dictionary<string, FilterSettings>(StringComparer.Ordinal);
        var dates = DateTemplateCache.ForClock(TimeProvider.System);
        foreach (var command in stream)
        {
            if (command is ["add", string added, string backend] && Refusal(() => JailServer.ValidateBackend(added, backend)) is { } badBackend)
            {
                yield return ConfigDiagnostic.Warning($"the server will not add the jail: {badBackend}", SourceLocation.None, added, "backend");
                continue;
            }

            if (command is not [string verb, string jail, string option, var value] || verb is not ("set" or "multi-set"))
            {
                continue;
            }

            var current = filters.GetValueOrDefault(jail) ?? new FilterSettings();
            var values = value is IEnumerable<object?> list ? list.Select(CommandArgs.Text).ToList() : [CommandArgs.Text(value)];
            var next = option switch
            {
                "usedns" => current with { UseDns = UseDnsParser.TryParse(values[0], out var useDns) ? useDns : UseDns.No },
                "maxlines" when int.TryParse(values[0], out var maxLines) && maxLines > 0 => current with { MaxLines = maxLines },
                "prefregex" => current with { PrefRegex = values[0].Length > 0 ? values[0] : null },
                "addfailregex" => current with { FailRegex = [.. current.FailRegex, .. values.Select(r => TagExpander.Expand(r, current.UseDns))] },
                "addignoreregex" => current with { IgnoreRegex = [.. current.IgnoreRegex, .. values.Select(r => TagExpander.Expand(r, current.UseDns))] },
                "datepattern" => current with { DatePattern = values[0].Length > 0 ? values[0] : null },
                _ => null,
            };
            if (next is null)
            {
                continue;
            }

            if (Refusal(() => _ = new LogFilter(next, FilterMode.Server, DateClock.System, dates)) is not { } refusal)
            {
                filters[jail] = next;
            }
            else
            {
                var shown = values.Count == 1 ? PyText.Repr(values[0]) : $"[{string.Join(", ", values.Select(PyText.Repr))}]";
                yield return ConfigDiagnostic.Warning($"the server will refuse {shown}: {refusal}", SourceLocation.None, jail, option.StartsWith("add", StringComparison.Ordinal) ? option[3..] : option);
            }
        }
    }

    /// <summary>The message of what <paramref name="check"/> throws, or null.</summary>
    private static string? Refusal(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // a check only: whatever it throws is what the server's command would fail with
            return e.Message;
        }
    }
}
