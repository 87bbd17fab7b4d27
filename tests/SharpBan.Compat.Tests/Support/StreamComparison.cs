using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBan.Compat.Tests.Support;

/// <summary>Compares two config streams as multisets of commands; scalars compare by text (5 equals "5").</summary>
internal static class StreamComparison
{
    public static (List<string> OnlyReference, List<string> OnlyOurs) Difference(IEnumerable<JsonNode> reference, IEnumerable<JsonNode> ours)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in reference)
        {
            var key = Normalize(node);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var onlyOurs = new List<string>();
        foreach (var node in ours)
        {
            var key = Normalize(node);
            if (counts.GetValueOrDefault(key) > 0)
            {
                counts[key]--;
            }
            else
            {
                onlyOurs.Add(key);
            }
        }

        var onlyReference = counts.Where(kv => kv.Value > 0).SelectMany(kv => Enumerable.Repeat(kv.Key, kv.Value)).ToList();
        return (onlyReference, onlyOurs);
    }

    public static string Normalize(JsonNode? node) => node switch
    {
        null => "None",
        JsonArray array => "[" + string.Join(", ", array.Select(Normalize)) + "]",
        JsonObject obj => "{" + string.Join(", ", obj.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {Normalize(kv.Value)}")) + "}",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => JsonSerializer.Serialize(value.GetValue<string>()),
            JsonValueKind.True => "\"True\"",
            JsonValueKind.False => "\"False\"",
            JsonValueKind.Null => "None",
            _ => JsonSerializer.Serialize(value.ToJsonString()),
        },
        _ => node.ToJsonString(),
    };
}
