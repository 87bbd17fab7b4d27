namespace SharpBan.Engine.Matching.Regex;

/// <summary>A .NET pattern translated from Python, with the .NET name of each Python group (index 0 = group 1).</summary>
internal sealed record TranslatedPattern(string Pattern, IReadOnlyList<string> PythonGroups);
