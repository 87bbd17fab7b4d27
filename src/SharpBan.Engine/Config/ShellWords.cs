using System.Text;

namespace SharpBan.Engine.Config;

/// <summary>POSIX shell-like word splitting (quotes and backslashes), as used for <c>journalmatch</c> lines.</summary>
internal static class ShellWords
{
    /// <exception cref="ConfigException">A quotation is not closed.</exception>
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\\')
            {
                if (++i >= text.Length)
                {
                    throw new ConfigException("No escaped character");
                }

                current.Append(text[i]);
            }
            else if (c == '\'')
            {
                var close = text.IndexOf('\'', i + 1);
                if (close < 0)
                {
                    throw new ConfigException("No closing quotation");
                }

                current.Append(text, i + 1, close - i - 1);
                i = close;
            }
            else if (c == '"')
            {
                i++;
                for (; ; i++)
                {
                    if (i >= text.Length)
                    {
                        throw new ConfigException("No closing quotation");
                    }

                    if (text[i] == '"')
                    {
                        break;
                    }

                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                    {
                        i++;
                    }

                    current.Append(text[i]);
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
