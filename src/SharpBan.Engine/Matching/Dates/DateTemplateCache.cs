using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Matching.Dates;

using Regex = System.Text.RegularExpressions.Regex;

/// <summary>
/// Builds date templates from <c>datepattern</c> strings and shares them by key (fail2ban caches templates
/// process-wide, and one statistic — a template's total hits — is consulted across detectors).
/// Also holds the default template list: each of the 17 originals, preceded by line-anchored copies (weight 100).
/// </summary>
internal sealed partial class DateTemplateCache(int currentYear)
{
    public static readonly IReadOnlyList<string> DefaultPatterns =
    [
        @"%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?",
        @"(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?",
        @"(?:%a )?%b %d %ExY %k:%M:%S(?:\.%f)?",
        @"%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S",
        @"%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\.%f)?(?: %z)?",
        @"%m/%d/%ExY:%H:%M:%S",
        @"%m-%d-%ExY %k:%M:%S(?:\.%f)?",
        "EPOCH",
        "{^LN-BEG}%H:%M:%S",
        "^<%m/%d/%Exy@%H:%M:%S>",
        "%Exy%Exm%Exd  ?%H:%M:%S",
        "%b %d, %ExY %I:%M:%S %p",
        "^%b-%d-%Exy %k:%M:%S",
        @"%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\s*%z)?",
        @"(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?",
        @"(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?",
        "TAI64N",
    ];

    private readonly ConcurrentDictionary<string, DateTemplate> _byKey = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private IReadOnlyList<DateTemplate>? _originals;
    private IReadOnlyList<DateTemplate>? _all;

    /// <summary>A cache whose <c>%ExY</c> window is built from the current year of <paramref name="time"/>.</summary>
    public static DateTemplateCache ForClock(TimeProvider time) => new(time.GetUtcNow().Year);

    public int CurrentYear { get; } = currentYear;

    [GeneratedRegex(@"(?<!\\)\{DATE\}", RegexOptions.IgnoreCase)]
    private static partial Regex DatePlaceholder();

    public static bool HasDatePlaceholder(string pattern) => DatePlaceholder().IsMatch(pattern);

    /// <summary>The 17 default templates in their original order.</summary>
    public IReadOnlyList<DateTemplate> Originals
    {
        get
        {
            lock (_lock)
            {
                return _originals ??= DefaultPatterns.Select(p => Get(p, builtIn: true)).ToArray();
            }
        }
    }

    /// <summary>The full default list (31): anchored copies first, then the originals.</summary>
    public IReadOnlyList<DateTemplate> All
    {
        get
        {
            var originals = Originals;
            lock (_lock)
            {
                if (_all is null)
                {
                    var anchored = new List<DateTemplate>();
                    foreach (var t in originals)
                    {
                        if (t.Name.StartsWith("{^LN-BEG}", StringComparison.Ordinal) || t.Name.StartsWith('^'))
                        {
                            continue;
                        }

                        var copy = Anchored(t, static s => "{^LN-BEG}" + s, builtIn: true);
                        if (copy.Name != t.Name)
                        {
                            copy.Weight = 100.0;
                            anchored.Add(copy);
                        }
                    }

                    _all = [.. anchored, .. originals];
                }

                return _all;
            }
        }
    }

    /// <summary>The template for one pattern string (fail2ban's <c>_getPatternTemplate</c>).</summary>
    /// <param name="builtIn">A shipped default (see <see cref="DateTemplate.BuiltIn"/>), not a user's pattern.</param>
    public DateTemplate Get(string pattern, string? key = null, bool builtIn = false)
    {
        key ??= pattern.Contains('%', StringComparison.Ordinal) ? pattern : pattern.ToUpperInvariant();
        if (_byKey.TryGetValue(key, out var cached))
        {
            return cached;
        }

        DateTemplate? template = null;
        if (key.Contains("EPOCH", StringComparison.Ordinal))
        {
            var longForm = key.Contains("LEPOCH", StringComparison.Ordinal);
            if (EpochTemplate.HasPlaceholder(pattern))
            {
                template = new EpochTemplate(false, pattern, longForm, builtIn);
            }
            else if (key is "EPOCH" or "{^LN-BEG}EPOCH" or "^EPOCH")
            {
                template = new EpochTemplate(key != "EPOCH", null, false, builtIn);
            }
            else if (key is "LEPOCH" or "{^LN-BEG}LEPOCH" or "^LEPOCH")
            {
                template = new EpochTemplate(key != "LEPOCH", null, true, builtIn);
            }
        }

        template ??= key is "TAI64N" or "{^LN-BEG}TAI64N" or "^TAI64N"
            ? new Tai64nTemplate(key != "TAI64N", builtIn)
            : new DatePatternTemplate(pattern, CurrentYear, builtIn);
        return _byKey.GetOrAdd(key, template);
    }

    public void Remember(string key, DateTemplate template) => _byKey.TryAdd(key, template);

    public bool TryGetCached(string key, out DateTemplate template) => _byKey.TryGetValue(key, out template!);

    /// <summary>A copy of <paramref name="template"/> with its pattern (or name) rewritten by <paramref name="wrap"/>.</summary>
    public DateTemplate Anchored(DateTemplate template, Func<string, string> wrap, bool builtIn = false)
    {
        var name = wrap(template.Name);
        if (_byKey.TryGetValue(name, out var t2))
        {
            return t2;
        }

        if (template.Pattern is { } pattern)
        {
            var regex = wrap(pattern);
            return _byKey.TryGetValue(regex, out t2) ? t2 : Get(regex, builtIn: builtIn);
        }

        return Get(name, builtIn: builtIn);
    }

    /// <summary>The defaults rewritten into a <c>{DATE}</c> pre-match pattern.</summary>
    public DateTemplate WithPreMatch(DateTemplate template, string preMatch) =>
        Anchored(template, s => DatePlaceholder().Replace(preMatch, _ => DateTemplateBounds.Unbound(s)));
}
