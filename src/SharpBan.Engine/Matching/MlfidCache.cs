namespace SharpBan.Engine.Matching;

/// <summary>
/// The per-filter multi-line session cache: at most 100 entries, each living 300 s from creation; when full the
/// oldest entries are evicted first.
/// </summary>
internal sealed class MlfidCache(TimeProvider time, int maxCount = 100, double maxSeconds = 300)
{
    private readonly Dictionary<string, (Dictionary<string, object?> Value, double Expires, LinkedListNode<string> Node)> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();

    private double Now => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    public int Count => _entries.Count;

    public Dictionary<string, object?>? Get(string key)
    {
        if (_entries.TryGetValue(key, out var e))
        {
            if (e.Expires > Now)
            {
                return e.Value;
            }

            Unset(key);
        }

        return null;
    }

    public void Set(string key, Dictionary<string, object?> value)
    {
        var now = Now;
        if (_entries.Count >= maxCount && !_entries.ContainsKey(key))
        {
            while (_order.First is { } first)
            {
                var k = first.Value;
                var expires = _entries[k].Expires;
                _order.RemoveFirst();
                _entries.Remove(k);
                if (expires > now && _entries.Count < maxCount)
                {
                    break;
                }
            }
        }

        var node = _entries.TryGetValue(key, out var existing) ? existing.Node : _order.AddLast(key);
        _entries[key] = (value, now + maxSeconds, node);
    }

    public void Unset(string key)
    {
        if (_entries.Remove(key, out var e))
        {
            _order.Remove(e.Node); // O(1): the node is kept with the entry
        }
    }
}
