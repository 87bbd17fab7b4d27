using System.Text;
using SharpBan.Engine.Actions;

namespace SharpBan.Processes;

/// <summary>
/// Turns a <see cref="ShellCommand"/> into one line of shell for a <see cref="ShellWorker"/>: the script and every
/// environment value become single-quoted words (nothing in them is ever interpreted by the worker), the script
/// runs through <c>eval</c> in a forked subshell (so <c>exit</c>, <c>cd</c> or a syntax error end only that
/// subshell), and the worker frames the output with markers that carry a random per-command nonce.
/// </summary>
internal static class ShellWorkerRequest
{
    /// <summary>The line (plus a newline) the worker writes before the command's output.</summary>
    public static string BeginMarker(string nonce) => "sbw:" + nonce + ":begin";

    /// <summary>Written after the command's output, followed by the exit status and a newline.</summary>
    public static string EndMarker(string nonce) => "sbw:" + nonce + ":end ";

    /// <summary>The request line; null when an environment name is not a portable shell name (run it another way).</summary>
    public static string? TryEncode(ShellCommand command, string nonce)
    {
        var sb = new StringBuilder(command.Script.Length + 160);
        sb.Append("printf '%s\\n' '").Append(BeginMarker(nonce)).Append("'; (");
        if (command.Environment.Count > 0)
        {
            sb.Append(" export");
            foreach (var (name, value) in command.Environment)
            {
                if (!IsPortableName(name))
                {
                    return null;
                }

                sb.Append(' ').Append(name).Append('=');
                AppendQuoted(sb, value);
            }

            sb.Append(';');
        }

        sb.Append(" eval ");
        AppendQuoted(sb, command.Script);
        sb.Append(" ) </dev/null 2>&1; printf '%s%d\\n' '").Append(EndMarker(nonce)).Append("' \"$?\"\n");
        return sb.ToString();
    }

    /// <summary>
    /// Appends <paramref name="value"/> as one single-quoted shell word (<c>'</c> becomes <c>'\''</c>). Like
    /// <c>execve</c>, a value ends at its first NUL character.
    /// </summary>
    public static void AppendQuoted(StringBuilder sb, string value)
    {
        var end = value.IndexOf('\0', StringComparison.Ordinal);
        var text = end < 0 ? value.AsSpan() : value.AsSpan(0, end);
        sb.Append('\'');
        foreach (var ch in text)
        {
            if (ch == '\'')
            {
                sb.Append("'\\''");
            }
            else
            {
                sb.Append(ch);
            }
        }

        sb.Append('\'');
    }

    /// <summary>POSIX name: an ASCII letter or underscore, then ASCII letters, digits or underscores.</summary>
    public static bool IsPortableName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var ch in name)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
