using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace SharpBan.Control;

/// <summary>
/// One connection that speaks fail2ban's own control protocol (what <c>fail2ban-client</c>, its Python API and
/// third-party exporters send): each request is a pickled list of words followed by <c>&lt;F2B_END_COMMAND&gt;</c>,
/// each answer a pickled <c>(0, result)</c> or <c>(1, exception)</c> followed by the same marker, and
/// <c>&lt;F2B_CLOSE_COMMAND&gt;</c> ends the connection. Requests are read by <see cref="PickleReader"/>, which
/// builds plain values only and refuses every pickle instruction that would create an object or call anything.
/// </summary>
internal sealed class PickleSession(
    Stream stream,
    Func<IReadOnlyList<object?>, CancellationToken, Task<JsonNode?>> execute,
    ILogger logger)
{
    private static readonly byte[] End = "<F2B_END_COMMAND>"u8.ToArray();
    private static readonly byte[] Close = "<F2B_CLOSE_COMMAND>"u8.ToArray();
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Serves requests until the client closes; <paramref name="first"/> is the byte already read.</summary>
    public async Task ServeAsync(byte first, CancellationToken cancellationToken)
    {
        var pending = new MemoryStream();
        pending.WriteByte(first);
        var chunk = new byte[8192];
        var searched = 0;
        while (true)
        {
            var at = IndexOf(pending.GetBuffer().AsSpan(0, (int)pending.Length), End, Math.Max(0, searched - End.Length + 1));
            if (at < 0)
            {
                if (pending.Length > ControlProtocol.MaxMessage)
                {
                    throw new InvalidDataException($"request of more than {ControlProtocol.MaxMessage} bytes without an end marker refused");
                }

                searched = (int)pending.Length;
                var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                pending.Write(chunk, 0, read);
                continue;
            }

            var message = pending.GetBuffer().AsSpan(0, at).ToArray();
            var rest = pending.GetBuffer().AsSpan(at + End.Length, (int)pending.Length - at - End.Length).ToArray();
            pending.SetLength(0);
            pending.Write(rest);
            searched = 0;
            if (message.AsSpan().SequenceEqual(Close))
            {
                return;
            }

            var answer = await AnswerAsync(message, cancellationToken).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(AnswerTimeout);
            await stream.WriteAsync(answer, timeout.Token).ConfigureAwait(false);
            await stream.WriteAsync(End, timeout.Token).ConfigureAwait(false);
            await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    private async Task<byte[]> AnswerAsync(byte[] message, CancellationToken cancellationToken)
    {
        List<object?> words;
        try
        {
            words = Words(PickleReader.Read(message));
        }
        catch (InvalidDataException e)
        {
            // as fail2ban: a request that does not load is answered with a bare string
            Log.ClientError(logger, "pickled request refused: " + e.Message);
            return PickleWriter.Write("ERROR: " + e.Message);
        }

        object? answer;
        try
        {
            var result = await execute(words, cancellationToken).ConfigureAwait(false);
            answer = new PyTuple([0L, PythonAnswer.From(words, result)]);
        }
        catch (Server.CommandException e)
        {
            answer = new PyTuple([1L, e.Python]);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // deliberate, as for the JSON protocol: a command the server did not foresee failing is answered with its
            // error and the daemon goes on
            Log.ClientError(logger, e.ToString());
            answer = new PyTuple([1L, new PyException("Exception", [e.Message])]);
        }

        return PickleWriter.Write(answer);
    }

    /// <summary>
    /// The request as the daemon's words: a list (fail2ban-client sends one) of plain values. fail2ban-client's
    /// <c>reload</c> carries its options as a list and the configuration it read as a stream of commands; the daemon
    /// reads its own configuration, so the stream is dropped and the options become words.
    /// </summary>
    private static List<object?> Words(object? request)
    {
        if (request is not List<object?> list)
        {
            throw new InvalidDataException("a request is a list of words");
        }

        var words = list.Select(Plain).ToList();
        if (words is ["reload", string target, List<object?> options, ..])
        {
            words = ["reload", .. options, .. (target == "--all" ? Array.Empty<object?>() : [target])];
        }

        return words;
    }

    private static object? Plain(object? value) => value switch
    {
        null or string or long or double or bool => value,
        System.Numerics.BigInteger big => big.ToString(System.Globalization.CultureInfo.InvariantCulture),
        byte[] bytes => Encoding.Latin1.GetString(bytes),
        List<object?> items => items.Select(Plain).ToList(),
        PyTuple tuple => tuple.Items.Select(Plain).ToList(),
        PyDict dict => dict.Items.Select(p => (object?)new List<object?> { Plain(p.Key), Plain(p.Value) }).ToList(),
        _ => value.ToString(),
    };

    private static int IndexOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> marker, int from)
    {
        var at = data[from..].IndexOf(marker);
        return at < 0 ? -1 : from + at;
    }
}
