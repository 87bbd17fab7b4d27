namespace SharpBan.Control;

/// <summary>
/// The unpickler's state: the value stack, the marks on it and the memo. Like Python's, an opcode only sees the
/// values above the latest mark (the fence); reaching below it is a stack underflow. Lists, dicts and sets are
/// mutable, so a memoised one is the same object that later APPENDS or SETITEMS fill.
/// </summary>
internal sealed class PickleStack
{
    private readonly List<object?> _values = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private readonly HashSet<object> _sets = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _frozenSets = new(ReferenceEqualityComparer.Instance);
    private int _budget = PickleReader.MaxValues;

    private int Fence => _marks.Count == 0 ? 0 : _marks[^1];

    public void Push(object? value)
    {
        Spend();
        _values.Add(value);
    }

    /// <summary>EMPTY_SET: a list the stack remembers as a set, which ADDITEMS fills and APPENDS does not.</summary>
    public void PushNewSet()
    {
        var set = new List<object?>();
        _sets.Add(set);
        Push(set);
    }

    /// <summary>FROZENSET: the values above the mark, as a list remembered as a frozenset (for error messages).</summary>
    public void PushFrozenSet(byte opcode)
    {
        var frozenSet = PopMark(opcode);
        _frozenSets.Add(frozenSet);
        Push(frozenSet);
    }

    public bool IsSet(object? value) => value is not null && _sets.Contains(value);

    public bool IsFrozenSet(object? value) => value is not null && _frozenSets.Contains(value);

    public object? Pop(byte opcode)
    {
        var value = Peek(opcode);
        _values.RemoveAt(_values.Count - 1);
        return value;
    }

    public object? Peek(byte opcode) => _values.Count > Fence
        ? _values[^1]
        : throw new InvalidDataException($"pickle stack underflow at {PickleOpcodes.Describe(opcode)}");

    /// <summary>The top <paramref name="count"/> values, deepest first, taken off the stack.</summary>
    public object?[] Pop(int count, byte opcode)
    {
        if (_values.Count - Fence < count)
        {
            throw new InvalidDataException($"pickle stack underflow at {PickleOpcodes.Describe(opcode)}");
        }

        var start = _values.Count - count;
        var values = new object?[count];
        _values.CopyTo(start, values, 0, count);
        _values.RemoveRange(start, count);
        return values;
    }

    public void Mark()
    {
        Spend();
        _marks.Add(_values.Count);
    }

    /// <summary>The values above the latest mark, taken off the stack with the mark.</summary>
    public List<object?> PopMark(byte opcode)
    {
        if (_marks.Count == 0)
        {
            throw new InvalidDataException($"pickle has no MARK for {PickleOpcodes.Describe(opcode)}");
        }

        var start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var values = _values.GetRange(start, _values.Count - start);
        _values.RemoveRange(start, values.Count);
        return values;
    }

    /// <summary>POP: the top value, or the latest mark when nothing was pushed after it.</summary>
    public void PopValueOrMark()
    {
        if (_marks.Count > 0 && _marks[^1] == _values.Count)
        {
            _marks.RemoveAt(_marks.Count - 1);
            return;
        }

        Pop(PickleOpcodes.Pop);
    }

    /// <summary>PUT and MEMOIZE: the top value (not taken off) stored at <paramref name="index"/>.</summary>
    public void Put(long index, byte opcode)
    {
        var value = Peek(opcode);
        Spend();
        _memo[index] = value;
    }

    public void Memoize() => Put(_memo.Count, PickleOpcodes.Memoize);

    public void Get(long index, byte opcode) => Push(_memo.TryGetValue(index, out var value)
        ? value
        : throw new InvalidDataException($"pickle {PickleOpcodes.Describe(opcode)} of memo index {index}, never stored"));

    /// <summary>Counts a value pushed or memoised, or a mark, against <see cref="PickleReader.MaxValues"/>.</summary>
    private void Spend()
    {
        if (--_budget < 0)
        {
            throw new InvalidDataException($"pickle makes more than {PickleReader.MaxValues} values");
        }
    }
}
