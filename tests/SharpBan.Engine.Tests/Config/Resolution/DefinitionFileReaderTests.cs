using SharpBan.Engine.Config.Resolution;
using SharpBan.Engine.Config.Stream;
using SharpBan.Engine.Tests.Support;

namespace SharpBan.Engine.Tests.Config.Resolution;

/// <summary>How filter and action files are read for a jail (through the resolver, as one jail's stream).</summary>
public sealed class DefinitionFileReaderTests : IDisposable
{
    private readonly TempConfigDirectory _dir = new();

    public DefinitionFileReaderTests()
    {
        _dir.Write("fail2ban.conf", "[Definition]\nloglevel = INFO\n");
        _dir.Write("logs/x.log", string.Empty);
    }

    public void Dispose() => _dir.Dispose();

    private List<string> JailStream(string filter, string action)
    {
        _dir.Write("filter.d/f.conf", filter);
        _dir.Write("action.d/a.conf", action);
        _dir.Write("jail.conf", "[j]\nenabled = true\nbackend = polling\nfilter = f\naction = a\nlogpath = %(fail2ban_confpath)s/logs/x.log\n");
        var resolution = ConfigResolver.Resolve(_dir.Path, new ResolveOptions { AllowMissingLogs = true });
        return [.. resolution.Stream.Skip(6).Select(ConfigStreamJson.ToJson)];
    }

    [Fact]
    public void ReadOptions_InitOptionNamedName_IsNotAnActionProperty()
    {
        // fail2ban leaves a user's __name__ out of [Init] and out of conditional sections (found by the generated trees)
        var stream = JailStream(
            "[Definition]\nfailregex = ^x <HOST>$\n",
            "[Definition]\nactionban = ban <ip> <__name__>\n[Init]\n__name__ = mine\nport = 22\n[Init?family=inet6]\n__name__ = six\nport = 23\n");
        Assert.Contains(
            "[\"multi-set\",\"j\",\"action\",\"a\",[[\"actionban\",\"ban <ip> <__name__>\"],[\"name\",\"j\"],[\"actname\",\"a\"],[\"port\",\"22\"],[\"port?family=inet6\",\"23\"]]]",
            stream);
    }

    [Fact]
    public void ReadOptions_ActionWithoutDefinitionSection_StreamsEveryKnownPropertyAsNull()
    {
        // fail2ban reads each known option of a missing [Definition] as None and streams it (found by the generated trees)
        var stream = JailStream("[Init]\nmaxlines = 2\n", "[Init]\nport = 1\n");
        var nulls = string.Concat(ActionFileReader.ActionSpecs.Select(static s => $"[\"{s.Name}\",null],"));
        Assert.Contains($"[\"multi-set\",\"j\",\"action\",\"a\",[{nulls}[\"name\",\"j\"],[\"actname\",\"a\"],[\"port\",\"1\"]]]", stream);
        Assert.Contains("[\"set\",\"j\",\"maxlines\",2]", stream);
    }

    [Fact]
    public void Read_AbsoluteFilterAndActionNames_ReadThoseFiles()
    {
        // 'filter = /opt/custom/f' reads /opt/custom/f.conf in fail2ban (os.path.join); it had been filter.d//opt/custom/f
        _dir.Write("custom/f.conf", "[Definition]\nfailregex = ^custom <HOST>$\n");
        _dir.Write("custom/a.conf", "[Definition]\nactionban = custom <ip>\n");
        var custom = _dir.FullPath("custom");
        _dir.Write("jail.conf", $"[j]\nenabled = true\nbackend = polling\nfilter = {custom}/f\naction = {custom}/a\n  {custom}/s.py[x=1]\nlogpath = %(fail2ban_confpath)s/logs/x.log\n");
        var stream = ConfigResolver.Resolve(_dir.Path, new ResolveOptions { AllowMissingLogs = true }).Stream.Select(ConfigStreamJson.ToJson).ToList();
        Assert.Contains("[\"set\",\"j\",\"addfailregex\",\"^custom <HOST>$\"]", stream);
        Assert.Contains($"[\"multi-set\",\"j\",\"action\",\"{custom}/a\",[[\"actionban\",\"custom <ip>\"],[\"name\",\"j\"],[\"actname\",\"{custom}/a\"]]]", stream);
        Assert.Contains($"[\"set\",\"j\",\"addaction\",\"{custom}/s\",\"{custom}/s.py\",\"{{\\\"x\\\": \\\"1\\\"}}\"]", stream);
        Assert.Contains("[\"start\",\"j\"]", stream);
    }

    [Fact]
    public void ReadOptions_AllDefinitionOptions_LeaveOutThoseOnlyInDefault()
    {
        // the jail's known/ options are the filter's [Definition] and [Init] ones; fail2ban asks for the section's own
        // option names, without [DEFAULT]'s (found by the FilterReader compat test): %(known/_daemon)s is not there
        _dir.Write("filter.d/f.conf", "[DEFAULT]\n_daemon = sshd\n[Definition]\nfailregex = ^%(_daemon)s <HOST>$\n");
        _dir.Write("action.d/a.conf", "[Definition]\nactionban = ban <ip>\n");
        _dir.Write("jail.conf", "[DEFAULT]\n_daemon = jail\n[j]\nenabled = true\nbackend = polling\nfilter = f\naction = a\n"
            + "logpath = %(fail2ban_confpath)s/logs/x.log\nfailregex = %(known/failregex)s\n  ^%(known/_daemon)s again <HOST>$\n");
        var stream = ConfigResolver.Resolve(_dir.Path, new ResolveOptions { AllowMissingLogs = true }).Stream.Select(ConfigStreamJson.ToJson).ToList();
        Assert.Contains("[\"multi-set\",\"j\",\"addfailregex\",[\"^sshd <HOST>$\",\"^jail again <HOST>$\"]]", stream);
    }
}
