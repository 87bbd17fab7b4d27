namespace SharpBan.Engine.Config.Resolution;

/// <summary>An option a reader knows: its name, conversion and the default used when it is absent (null: omitted).</summary>
internal sealed record OptionSpec(string Name, OptionKind Kind, object? Default = null);
