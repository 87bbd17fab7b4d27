namespace SharpBan.Engine.Config;

/// <summary>A raw option value as written (multi-line values joined with \n) and where it was written.</summary>
internal sealed record ConfigValue(string Raw, SourceLocation Location);
