namespace SharpBan.Engine.Matching.Regex;

/// <summary>A Python pattern that cannot be compiled (message worded like Python's <c>re.error</c>).</summary>
public sealed class PyRegexException : Exception
{
    public PyRegexException()
    {
    }

    public PyRegexException(string message)
        : base(message)
    {
    }

    public PyRegexException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public PyRegexException(string message, int position)
        : base($"{message} at position {position}")
    {
        Position = position;
    }

    public int Position { get; } = -1;
}
