namespace SharpBan.Control;

/// <summary>A Python <c>dict</c>: its pairs in insertion order. <see cref="PickleReader"/> keeps the pairs as the
/// pickle gave them (it does not merge equal keys or check that keys are hashable; Python's pickler never writes
/// either). Equality is the record's: the same <see cref="Items"/> list, not the same contents.</summary>
internal sealed record PyDict(IReadOnlyList<KeyValuePair<object?, object?>> Items);
