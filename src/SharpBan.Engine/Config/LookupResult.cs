namespace SharpBan.Engine.Config;

internal enum LookupResult
{
    Found,
    NoSection,
    NoOption,
}
