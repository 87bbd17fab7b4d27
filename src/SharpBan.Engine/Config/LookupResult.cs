namespace SharpBan.Engine.Config;

public enum LookupResult
{
    Found,
    NoSection,
    NoOption,
}
