using System.Buffers;
using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SharpBan.Engine.Config.Stream;

/// <summary>Writes config-stream commands as JSON, one array per line (strings, integers, booleans, null, lists, objects).</summary>
internal static class ConfigStreamJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private static readonly JsonWriterOptions IndentedOptions = Options with { Indented = true };

    public static string ToJson(IReadOnlyList<object?> command) => ToJson(command, Options);

    private static string ToJson(IReadOnlyList<object?> command, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            WriteValue(writer, command);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Each command as indented JSON (<c>client --dp</c>).</summary>
    public static void WriteIndented(TextWriter output, IEnumerable<IReadOnlyList<object?>> stream)
    {
        foreach (var command in stream)
        {
            output.Write(ToJson(command, IndentedOptions).ReplaceLineEndings("\n"));
            output.Write('\n');
        }
    }

    public static void WriteLines(TextWriter output, IEnumerable<IReadOnlyList<object?>> stream)
    {
        foreach (var command in stream)
        {
            output.Write(ToJson(command));
            output.Write('\n');
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case IDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (k, v) in map)
                {
                    writer.WritePropertyName(k);
                    WriteValue(writer, v);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
