using System.Text;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;

namespace SharpBan.Compat.Tests.ConfigDump;

/// <summary>
/// Generated <c>jail.local</c> files over Debian's configuration: the options users set, in the spellings they use
/// (time abbreviations, booleans, continuation lines, inline comments, interpolations, action and filter arguments).
/// </summary>
public sealed partial class ConfigDumpCompatTests
{
    private static readonly string[] Jails = ["sshd", "nginx-http-auth", "postfix", "recidive", "apache-auth", "dovecot", "myjail"];

    private static readonly (string Name, string[] Values)[] Options =
    [
        ("enabled", ["true", "false", "yes", "1", "on", "no", "True"]),
        ("bantime", ["600", "1h", "10m", "-1", "1d 2h", "3600 ; one hour", "2w", "1.5h", "%(findtime)s"]),
        ("findtime", ["10m", "600", "1h30m", "1d", "30s"]),
        ("maxretry", ["3", "5", "1", "10"]),
        ("port", ["ssh", "\"22,2222\"", "http,https", "0:65535", "ssh,sftp,2222"]),
        ("logpath", ["%(sshd_log)s", "/var/log/x.log\n          /var/log/y.log", "/var/log/*.log", "/var/log/auth.log  # the auth log"]),
        ("backend", ["auto", "polling", "systemd"]),
        ("usedns", ["yes", "no", "warn", "raw"]),
        ("action", ["%(action_)s", "%(action_mw)s", "%(action_mwl)s", "iptables-multiport[name=X, port=\"22,80\", protocol=tcp]", "nftables[type=allports]",
            "iptables[name=a]\n         sendmail-whois[name=a, dest=root@localhost, sender=fail2ban@localhost]", "%(banaction)s[port=\"%(port)s\"]"]),
        ("banaction", ["iptables-multiport", "nftables-multiport", "ufw", "iptables-allports", "firewallcmd-rich-rules"]),
        ("banaction_allports", ["iptables-allports", "nftables-allports"]),
        ("filter", ["sshd[mode=aggressive]", "%(__name__)s", "apache-auth", "sshd[mode=ddos, publickey=invalid]", "postfix[mode=auth]"]),
        ("ignoreip", ["127.0.0.1/8 ::1", "127.0.0.1/8 ::1 192.0.2.0/24", "192.0.2.1,198.51.100.0/24"]),
        ("maxmatches", ["5", "%(maxretry)s"]),
        ("bantime.increment", ["true", "false"]),
        ("bantime.factor", ["2", "1.5"]),
        ("bantime.multipliers", ["1 2 4 8 16", "1 5 30 60"]),
        ("bantime.maxtime", ["1w", "5d"]),
        ("bantime.rndtime", ["30m", "0"]),
        ("bantime.overalljails", ["true", "false"]),
        ("datepattern", ["%%Y-%%m-%%d %%H:%%M:%%S", "{^LN-BEG}", "^%%b %%d %%H:%%M:%%S"]),
        ("journalmatch", ["_SYSTEMD_UNIT=sshd.service + _COMM=sshd", "_SYSTEMD_UNIT=postfix.service"]),
        ("mode", ["normal", "ddos", "aggressive", "extra"]),
        ("destemail", ["admin@example.org"]),
        ("logencoding", ["utf-8", "latin-1", "auto"]),
        ("ignorecommand", ["", "/bin/false <ip>"]),
        ("protocol", ["tcp", "udp"]),
        ("chain", ["INPUT", "<known/chain>", "f2b-chain"]),
    ];

    public static TheoryData<int> GeneratedConfigs() => new(Enumerable.Range(0, 40));

    [OracleTheory]
    [MemberData(nameof(GeneratedConfigs))]
    public void Dump_GeneratedJailLocal_MatchesReference(int seed)
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(ReferenceFail2Ban.ConfigDirectory, temp.Path);
        var text = GeneratedJailLocal(new Random(20261126 + seed));
        File.WriteAllText(Path.Join(temp.Path, "jail.local"), text);
        output.WriteLine(text);
        AssertSameStream(temp.Path, minimumLines: 1);
    }

    private static string GeneratedJailLocal(Random random)
    {
        var sb = new StringBuilder("[DEFAULT]\n");
        AppendOptions(sb, random, random.Next(0, 5), []);
        foreach (var jail in Jails.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
        {
            sb.Append('[').Append(jail).Append("]\nenabled = true\n");
            if (jail == "myjail")
            {
                sb.Append("filter = sshd\nlogpath = /var/log/auth.log\n");
            }

            AppendOptions(sb, random, random.Next(1, 7), jail == "myjail" ? ["enabled", "filter", "logpath"] : ["enabled"]);
        }

        return sb.ToString();
    }

    /// <summary>Options not yet in the section (a repeated option makes the file invalid, which has its own test).</summary>
    private static void AppendOptions(StringBuilder sb, Random random, int count, string[] present)
    {
        foreach (var (name, values) in Options.Where(o => !present.Contains(o.Name)).OrderBy(_ => random.Next()).Take(count))
        {
            sb.Append(name).Append(random.Next(4) == 0 ? "=" : " = ").Append(values[random.Next(values.Length)]).Append('\n');
        }
    }
}
