namespace SharpBan.Engine.Config;

/// <summary>Where a configuration value or problem came from: a file and a 1-based line (0 when unknown).</summary>
internal readonly record struct SourceLocation(string File, int Line)
{
    public static SourceLocation None => default;

    public bool IsKnown => File is not null;

    public override string ToString() => !IsKnown ? "<unknown>" : Line > 0 ? $"{File}:{Line}" : File;
}
