namespace SharpBan.Engine.Matching;

/// <summary>A log line split around its date text: regexes see <see cref="Text"/> (the date cut out).</summary>
public readonly record struct LineTuple(string Before, string Date, string After)
{
    /// <summary>The line as regexes see it: the date text removed.</summary>
    public string Text => Before + After;

    /// <summary>The original line.</summary>
    public override string ToString() => Before + Date + After;
}
