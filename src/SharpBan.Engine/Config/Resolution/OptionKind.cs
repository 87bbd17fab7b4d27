namespace SharpBan.Engine.Config.Resolution;

/// <summary>How a known option's text is converted after resolution.</summary>
internal enum OptionKind
{
    String,
    Int,
    Bool,
}
