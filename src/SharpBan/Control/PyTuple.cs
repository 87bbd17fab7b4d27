namespace SharpBan.Control;

/// <summary>A Python <c>tuple</c> as <see cref="PickleReader"/> reads it and <see cref="PickleWriter"/> writes it.
/// Equality is the record's: the same <see cref="Items"/> list, not the same contents.</summary>
internal sealed record PyTuple(IReadOnlyList<object?> Items);
