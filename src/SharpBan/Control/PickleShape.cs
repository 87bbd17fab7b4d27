namespace SharpBan.Control;

/// <summary>
/// The checks on an unpickled value before anyone walks it. The memo lets a small pickle build a cycle (a list that
/// holds itself) or a deep chain of shared lists whose naive walk is exponential ("billion laughs"): the value must
/// nest at most <see cref="PickleReader.MaxDepth"/> containers deep, and its size as a tree, every shared container
/// and string counted each time it is reached, must stay under <see cref="PickleReader.MaxLength"/>, which no pickle
/// without sharing can exceed. Each container is weighed once, so the check is linear in the pickle.
/// </summary>
internal static class PickleShape
{
    public static void Check(object? value) =>
        Weigh(value, 0, new Dictionary<object, (long Weight, int Height)>(ReferenceEqualityComparer.Instance));

    /// <summary>The tree size and height of <paramref name="value"/>, found <paramref name="depth"/> containers deep.</summary>
    private static (long Weight, int Height) Weigh(object? value, int depth, Dictionary<object, (long Weight, int Height)> weighed)
    {
        var children = value switch
        {
            List<object?> list => list,
            PyTuple tuple => tuple.Items,
            PyDict dict => dict.Items.SelectMany(pair => new[] { pair.Key, pair.Value }),
            _ => null,
        };
        if (children is null)
        {
            return (1 + value switch { string s => s.Length, byte[] b => b.Length, _ => 0 }, 0);
        }

        if (weighed.TryGetValue(value!, out var known))
        {
            return Within(known, depth);
        }

        if (depth >= PickleReader.MaxDepth)
        {
            throw new InvalidDataException($"pickle nests containers more than {PickleReader.MaxDepth} deep (or holds a cycle)");
        }

        (long Weight, int Height) total = (1, 1);
        foreach (var child in children)
        {
            var (weight, height) = Weigh(child, depth + 1, weighed);
            total = Within((total.Weight + weight, Math.Max(total.Height, height + 1)), depth);
        }

        weighed[value!] = total;
        return total;
    }

    private static (long Weight, int Height) Within((long Weight, int Height) shape, int depth) =>
        shape.Weight > PickleReader.MaxLength
            ? throw new InvalidDataException($"pickle shares values to a size over {PickleReader.MaxLength} once expanded")
            : depth + shape.Height > PickleReader.MaxDepth
                ? throw new InvalidDataException($"pickle nests containers more than {PickleReader.MaxDepth} deep")
                : shape;
}
