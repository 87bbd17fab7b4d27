using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching;

/// <summary>
/// The data of one failure as fail2ban keeps it, a Python dict: string keys in insertion order (setting an existing key
/// keeps its place, removing one keeps the order of the rest), compared ordinally.
/// </summary>
/// <remarks>
/// One is built for every hit, most often from a dozen regex groups plus a few keys of the filter's own, and read a few
/// times. Two arrays scanned in order cost less to build and to read at that size than a hashed dictionary (buckets,
/// entries, a hash per key); past <see cref="IndexedFrom"/> keys a hash index is added, so a regex with many groups
/// never makes the scan quadratic.
/// </remarks>
internal sealed class FailureData : IReadOnlyDictionary<string, object?>
{
    /// <summary>From this many keys on, lookups go through a hash index.</summary>
    internal const int IndexedFrom = 24;

    private string[] _keys;
    private object?[] _values;
    private int _count;
    private Dictionary<string, int>? _index;

    // one bit per (length, first character) class of the keys ever added: a key whose bit is clear is absent without a
    // scan (most lookups of a hit's data are for keys it does not have: nofail, mlfgained, ip6, dns…); a removal
    // leaves its bit set, which only costs a scan
    private ulong _classes;

    public FailureData(int capacity = 8)
    {
        capacity = Math.Max(capacity, 1);
        _keys = new string[capacity];
        _values = new object?[capacity];
    }

    /// <summary>A copy of <paramref name="other"/> (Python's <c>dict.copy()</c>: the values are shared, not copied).</summary>
    public FailureData(FailureData other)
    {
        _keys = other._keys[..Math.Max(other._count, 1)];
        _values = other._values[..Math.Max(other._count, 1)];
        _count = other._count;
        _classes = other._classes;
    }

    public int Count => _count;

    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no key '{key}'");
        set
        {
            var i = IndexOf(key);
            if (i >= 0)
            {
                _values[i] = value;
            }
            else
            {
                Append(key, value);
            }
        }
    }

    public IEnumerable<string> Keys
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _keys[i];
            }
        }
    }

    public IEnumerable<object?> Values
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _values[i];
            }
        }
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            value = null;
            return false;
        }

        value = _values[i];
        return true;
    }

    /// <summary>Python's <c>d.get(key)</c>: the value, null when the key is absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? GetValueOrDefault(string key)
    {
        var i = IndexOf(key);
        return i < 0 ? null : _values[i];
    }

    /// <summary>Adds a key that must not be present yet.</summary>
    public void Add(string key, object? value)
    {
        if (IndexOf(key) >= 0)
        {
            throw new ArgumentException($"key '{key}' is already present", nameof(key));
        }

        Append(key, value);
    }

    public bool Remove(string key) => Remove(key, out _);

    /// <summary>Python's <c>d.pop(key)</c>: removes the key if present; the keys after it keep their order.</summary>
    public bool Remove(string key, out object? value)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            value = null;
            return false;
        }

        value = _values[i];
        _count--;
        Array.Copy(_keys, i + 1, _keys, i, _count - i);
        Array.Copy(_values, i + 1, _values, i, _count - i);
        _keys[_count] = null!;
        _values[_count] = null;
        _index = null; // positions moved; rebuilt on the next lookup if still large
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int IndexOf(string key)
    {
        if ((_classes & ClassOf(key)) == 0)
        {
            return -1;
        }

        if (_count >= IndexedFrom)
        {
            return Indexed().TryGetValue(key, out var at) ? at : -1;
        }

        var keys = _keys;
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(keys[i], key))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The bit of a key's class: its length and first character (the empty key has a class of its own).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ClassOf(string? key) => key is null ? ulong.MaxValue : 1UL << ((key.Length == 0 ? 0 : key.Length * 7 + key[0]) & 63);

    private Dictionary<string, int> Indexed()
    {
        if (_index is null)
        {
            _index = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
            for (var i = 0; i < _count; i++)
            {
                _index[_keys[i]] = i;
            }
        }

        return _index;
    }

    private void Append(string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_count == _keys.Length)
        {
            Array.Resize(ref _keys, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }

        _keys[_count] = key;
        _values[_count] = value;
        _classes |= ClassOf(key);
        _index?.Add(key, _count);
        _count++;
    }

    /// <summary>Walks the entries in order; the data must not change meanwhile.</summary>
    public struct Enumerator(FailureData data) : IEnumerator<KeyValuePair<string, object?>>
    {
        private int _next;

        public readonly KeyValuePair<string, object?> Current => new(data._keys[_next - 1], data._values[_next - 1]);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_next >= data._count)
            {
                return false;
            }

            _next++;
            return true;
        }

        public void Reset() => _next = 0;

        public readonly void Dispose()
        {
        }
    }
}
