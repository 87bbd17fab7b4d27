using System.Text;

namespace SharpBan.RegexTool;

/// <summary>
/// A log split into lines as fail2ban reads it: at <c>'\n'</c> only. A lone <c>'\r'</c> stays inside its line (text
/// split there would let a log writer's carriage return start a line of its own choosing); line ends are trimmed later.
/// </summary>
internal static class LogLines
{
    private const int BlockChars = 1 << 15;

    /// <param name="reader">Decoded text; disposed at the end.</param>
    /// <param name="dropIncompleteLast">
    /// Leave out a last line without a line end, as fail2ban-regex's file reader does (it waits for the line to be
    /// finished; a last line ending in <c>'\r'</c> counts as finished).
    /// </param>
    public static IEnumerable<string> Read(TextReader reader, bool dropIncompleteLast)
    {
        using (reader)
        {
            var buffer = new char[BlockChars];
            var pending = new StringBuilder();
            int n;
            while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                var start = 0;
                int newline;
                while ((newline = Array.IndexOf(buffer, '\n', start, n - start)) >= 0)
                {
                    string line;
                    if (pending.Length > 0)
                    {
                        line = pending.Append(buffer, start, newline - start).ToString();
                        pending.Clear();
                    }
                    else
                    {
                        line = new string(buffer, start, newline - start);
                    }

                    yield return line;
                    start = newline + 1;
                }

                pending.Append(buffer, start, n - start);
            }

            if (pending.Length > 0 && !(dropIncompleteLast && pending[^1] != '\r'))
            {
                yield return pending.ToString();
            }
        }
    }
}
