using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Tests.Matching;

public sealed class FailureDataTests
{
    /// <summary>One step: set (0), remove (1), add if absent (2), or copy the whole (3), on key number <c>Key</c>.</summary>
    public sealed record Step(int Kind, int Key, int Value);

    // half of the steps set a key, so that the data often grows past the size where the index takes over
    private static Arbitrary<Step[]> Steps(int keys) =>
        Gen.Choose(0, 9).Select(static k => k < 5 ? 0 : k < 7 ? 1 : k < 9 ? 2 : 3).SelectMany(kind => Gen.Choose(0, keys - 1).SelectMany(key => Gen.Choose(0, 9).Select(value => new Step(kind, key, value))))
            .ListOf()
            .Select(static s => s.ToArray())
            .ToArbitrary();

    /// <summary>
    /// Any sequence of sets, removals and copies leaves the same keys, in the same order, with the same values as
    /// .NET's ordered dictionary (the Python dict semantics the engine had before), below and above the size where
    /// the hash index takes over.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property AnySteps_SameAsOrderedDictionary() =>
        Prop.ForAll(Steps(FailureData.IndexedFrom + 12), steps =>
        {
            var data = new FailureData(2);
            var model = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var step in steps)
            {
                // a fresh string for every key, so that equal keys are rarely the same instance
                var key = string.Concat("k", step.Key.ToString(System.Globalization.CultureInfo.InvariantCulture));
                object? value = step.Value == 0 ? null : step.Value;
                switch (step.Kind)
                {
                    case 0:
                        data[key] = value;
                        model[key] = value;
                        break;
                    case 1:
                        if (data.Remove(key, out var removed) != model.Remove(key, out var expected) || !Equals(removed, expected))
                        {
                            return false;
                        }

                        break;
                    case 2:
                        if (model.TryAdd(key, value))
                        {
                            data.Add(key, value);
                        }

                        break;
                    default:
                        data = new FailureData(data);
                        break;
                }

                if (!data.SequenceEqual(model) || data.Count != model.Count)
                {
                    return false;
                }
            }

            return model.Keys.All(k => data.ContainsKey(k) && Equals(data[k], model[k]) && Equals(data.GetValueOrDefault(k), model[k]))
                && data.GetValueOrDefault("absent") is null && !data.TryGetValue("absent", out _);
        });

    [Fact]
    public void Copy_ChangedAfterwards_LeavesTheOriginal()
    {
        var data = new FailureData { ["ip4"] = "192.0.2.1", ["user"] = "root" };
        var copy = new FailureData(data);

        copy["user"] = "admin";
        copy.Remove("ip4");
        copy["matches"] = 1;

        Assert.Equal([new("ip4", "192.0.2.1"), new KeyValuePair<string, object?>("user", "root")], data);
        Assert.Equal([new("user", "admin"), new KeyValuePair<string, object?>("matches", 1)], copy);
    }

    [Fact]
    public void Indexer_MissingKey_Throws()
    {
        var data = new FailureData { ["ip4"] = "192.0.2.1" };

        Assert.Throws<KeyNotFoundException>(() => data["ip6"]);
        Assert.Throws<ArgumentException>(() => data.Add("ip4", "x"));
    }
}
