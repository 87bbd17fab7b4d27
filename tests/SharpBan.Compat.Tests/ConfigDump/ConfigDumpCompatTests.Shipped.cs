using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;

namespace SharpBan.Compat.Tests.ConfigDump;

/// <summary>Our shipped configuration (config/), every jail enabled, read by both: the same stream.</summary>
public sealed partial class ConfigDumpCompatTests
{
    private static readonly string ShippedConfig = Path.Join(AppContext.BaseDirectory, "config");

    /// <summary>The log path variables of paths.conf, all pointed at one empty file.</summary>
    private static readonly string[] ShippedLogVariables =
    [
        "syslog_authpriv", "syslog_mail", "syslog_daemon", "nginx_error_log", "nginx_access_log", "apache_error_log", "apache_access_log",
        "sharpban_log", "vsftpd_log", "proftpd_log", "mysql_log", "exim_main_log", "named_log",
        "roundcube_errors_log", "sogo_log", "horde_log", "squirrelmail_log",
        "lighttpd_error_log", "traefik_access_log", "haproxy_log", "squid_log", "openhab_request_log",
        "monit_log", "gitlab_log", "grafana_log",
        "auditd_log", "asterisk_log", "mongodb_log",
        "guacamole_log", "bitwarden_log", "ejabberd_log", "znc_log", "freeswitch_log", "mssql_log", "stunnel_log", "portsentry_log",
        "screensharingd_log", "softethervpn_log", "tine20_log",
        "directadmin_log", "groupoffice_log", "monitorix_log", "murmur_log", "openwebmail_log",
        "kerio_log", "oracleims_log", "3proxy_log", "assp_log", "centreon_log", "cstrike_log", "domino_log",
    ];

    /// <summary>jail.local files a user might write for the shipped jails, fail2ban's spellings included.</summary>
    public static TheoryData<string> ShippedJailLocals() => new()
    {
        "[DEFAULT]\nenabled = true\n",
        "[DEFAULT]\nenabled = true\nmode = aggressive\n",
        "[DEFAULT]\nenabled = true\n[nginx-limit-req]\nngx_limit_req_zones = login|api\n[apache-badbots]\nbantime = 1w\n",
        "[DEFAULT]\nenabled = true\n[nginx-limit-req]\nfilter = nginx-limit-req[ngx_limit_req_zones=\"one\"]\n"
        + "[nginx-botsearch]\nlogpath = %(nginx_access_log)s\nmaxretry = 2\n[apache-badbots]\nfilter = apache-badbots[badbotscustom=\"Bad\\d\"]\n",
    };

    [OracleTheory]
    [MemberData(nameof(ShippedJailLocals))]
    public void Dump_ShippedConfigAllJailsEnabled_MatchesReference(string jailLocal)
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(ShippedConfig, temp.Path);
        var log = Path.Join(temp.Path, "any.log");
        File.WriteAllText(log, string.Empty);
        File.WriteAllText(
            Path.Join(temp.Path, "paths.local"),
            "[DEFAULT]\n" + string.Concat(ShippedLogVariables.Select(v => $"{v} = {log}\n")));
        File.WriteAllText(Path.Join(temp.Path, "jail.local"), jailLocal.Replace("[DEFAULT]\n", "[DEFAULT]\nbackend = polling\n", StringComparison.Ordinal));

        var jails = AssertSameStream(temp.Path, minimumLines: 100);

        // every jail section of the shipped jail.conf is in both streams
        var sections = File.ReadLines(Path.Join(ShippedConfig, "jail.conf")).Count(l => l.StartsWith('[') && l is not "[INCLUDES]" and not "[DEFAULT]");
        Assert.True(sections >= 18, $"{sections} jails in the shipped jail.conf");
        Assert.Equal(sections, jails);
    }
}
