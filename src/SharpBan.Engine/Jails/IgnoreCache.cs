using System.Globalization;
using System.Text;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Jails;

/// <summary>
/// A jail's <c>ignorecache</c> (<c>key="&lt;ip&gt;", max-count=100, max-time=5m</c>): the result of the ignore checks
/// (ignoreself, ignoreip, ignorecommand) remembered per key for <c>max-time</c>, so that an expensive
/// <c>ignorecommand</c> does not run for every failure of the same address.
/// </summary>
internal sealed class IgnoreCache
{
    private IgnoreCache(string key, ExpiringCache<bool> entries)
    {
        Key = key;
        Entries = entries;
    }

    /// <summary>The key template; its tags are replaced by the failure's values (<c>&lt;ip&gt;</c>, <c>&lt;F-USER&gt;</c>, …).</summary>
    public string Key { get; }

    public ExpiringCache<bool> Entries { get; }

    /// <summary>Parses the option value; null when empty (no cache).</summary>
    /// <exception cref="ArgumentException">No <c>key</c>, or an invalid count or time.</exception>
    public static IgnoreCache? Parse(string value, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        OrderedDictionary<string, string> options;
        try
        {
            options = OptionList.Extract("cache[" + value + "]").Options;
        }
        catch (ConfigException e)
        {
            throw new ArgumentException($"Invalid ignorecache '{value}': {e.Message}", e);
        }

        if (!options.TryGetValue("key", out var key))
        {
            throw new ArgumentException($"Invalid ignorecache '{value}': no key (e.g. key=\"<ip>\")");
        }

        var maxCount = options.TryGetValue("max-count", out var c)
            ? int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"Invalid ignorecache max-count '{c}'")
            : 100;
        var maxTime = options.TryGetValue("max-time", out var t)
            ? TimeValue.TryParse(t, out var s) ? s : throw new ArgumentException($"Invalid ignorecache max-time '{t}'")
            : 300;
        return new IgnoreCache(key, new ExpiringCache<bool>(time, maxCount, maxTime));
    }

    /// <summary>Whether making a key looks a name up (<c>&lt;ip-host&gt;</c>: the failing address's reverse name).</summary>
    public bool LooksUpNames => Key.Contains("<ip-host>", StringComparison.Ordinal);

    /// <summary>The cache key of one failure: the key template with its tags replaced (unknown tags kept).</summary>
    public string KeyFor(ITagValues values)
    {
        var sb = new StringBuilder();
        var pos = 0;
        while (TagSubstitution.TryFindTag(Key, pos, out var start, out var end, out var name))
        {
            sb.Append(Key, pos, start - pos);
            sb.Append(values.TryGet(name, out var v, out _) ? v : Key[start..end]);
            pos = end;
        }

        return sb.Append(Key, pos, Key.Length - pos).ToString();
    }
}
