namespace SharpBan.Metrics;

/// <summary>
/// The little of HTTP/1.x that <see cref="MetricsHttpServer"/> reads: where a request's head ends and what its request
/// line asks for. Only <c>GET</c> (and <c>HEAD</c>) of <c>/metrics</c> is served; header fields are not looked at, a
/// body is never read. Pure functions over bytes, so every hostile input can be tried in a unit test.
/// </summary>
internal static class HttpRequestHead
{
    /// <summary>The longest request head read (request line and header fields); a longer one is answered 431.</summary>
    public const int MaxLength = 8192;

    /// <summary>The path served.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The length of the head in <paramref name="data"/> up to and with the empty line that ends it
    /// (<c>CRLF CRLF</c>, or bare line feeds as RFC 9112 lets a server accept); -1 while it is not complete.</summary>
    public static int EndOf(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] != '\n')
            {
                continue;
            }

            if (i + 1 < data.Length && data[i + 1] == '\n')
            {
                return i + 2;
            }

            if (i + 2 < data.Length && data[i + 1] == '\r' && data[i + 2] == '\n')
            {
                return i + 3;
            }
        }

        return -1;
    }

    /// <summary>The answer to a complete request head: 200 (<paramref name="headOnly"/> for <c>HEAD</c>), 400, 404 or 405.</summary>
    public static int Route(ReadOnlySpan<byte> head, out bool headOnly)
    {
        headOnly = false;
        var lineEnd = head.IndexOf((byte)'\n');
        var line = lineEnd < 0 ? head : head[..lineEnd];
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        // request-line = method SP request-target SP HTTP-version, single spaces, visible ASCII only
        var first = line.IndexOf((byte)' ');
        var last = line.LastIndexOf((byte)' ');
        if (first <= 0 || last == first || !IsVisibleAscii(line[..first]) || !IsVisibleAscii(line[(first + 1)..last]) || last == line.Length - 1)
        {
            return 400;
        }

        var method = line[..first];
        var target = line[(first + 1)..last];
        var version = line[(last + 1)..];
        if (!IsToken(method) || target.Length == 0 || target[0] != '/' || !(version.SequenceEqual("HTTP/1.1"u8) || version.SequenceEqual("HTTP/1.0"u8)))
        {
            return 400;
        }

        var get = method.SequenceEqual("GET"u8);
        headOnly = method.SequenceEqual("HEAD"u8);
        if (!get && !headOnly)
        {
            return 405;
        }

        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        return path.SequenceEqual("/metrics"u8) ? 200 : 404; // MetricsPath
    }

    /// <summary>The reason phrase of a status this server sends.</summary>
    public static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Error",
    };

    private static bool IsVisibleAscii(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is <= 0x20 or >= 0x7f)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 9110's token: letters, digits and <c>!#$%&amp;'*+-.^_`|~</c>.</summary>
    private static bool IsToken(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
