#!/usr/bin/python3
"""Runs SharpBan's firewall/dummy action files through the real fail2ban (1.0.x) action engine.

usage: unshare -n check-actions-with-fail2ban.py CONFIG_DIR WORK_DIR

CONFIG_DIR must contain a jail.local defining the jails act-nft-mp, act-nft-all, act-ipt-mp,
act-ipt-all and act-dummy (check-config-with-fail2ban.sh writes it). For each, the commands are
rendered and executed by fail2ban's CommandAction exactly as fail2ban-server would: on-demand start
per family, ban of an IPv4 and an IPv6 address, check, unban, ban again, flush, stop. The firewall
state is inspected after every step. Run it only inside a fresh network namespace (unshare -n):
it changes the firewall of the namespace it runs in.
"""
import os, subprocess, sys

sys.path.insert(0, "/usr/lib/python3/dist-packages")
from fail2ban.client.configurator import Configurator  # noqa: E402
from fail2ban.server.action import CommandAction  # noqa: E402
from fail2ban.server.ipdns import IPAddr  # noqa: E402

V4, V6 = "192.0.2.33", "2001:db8::33"
failures = []


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout


def nft_state():
    return sh("nft list ruleset")


def ipt_state():
    return sh("iptables-save -t filter; ip6tables-save -t filter")


def expect(cond, what):
    print("    %s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        failures.append(what)


class Actions:  # the little CommandAction needs of a jail's action manager
    def _getActionInfo(self, ticket):
        return {}


class Jail:  # ... and of a jail
    def __init__(self, name):
        self.name = name
        self.actions = Actions()


def actions_from_stream(confdir):
    cfg = Configurator()
    cfg.setBaseDir(confdir)
    cfg.readEarly()
    cfg.readAll()
    if not cfg.getOptions(None):
        raise SystemExit("configuration failed to load")
    cfg.convertToProtocol()
    result = {}
    for cmd in cfg.getConfigStream():
        if cmd[0] == "multi-set" and cmd[2] == "action":
            jail, actname, props = cmd[1], cmd[3], cmd[4]
            act = CommandAction(Jail(jail), actname)
            for key, value in props:
                setattr(act, key, value)
            result[jail] = act
    return result


def info(ip):
    a = IPAddr(ip)
    return {"ip": a, "family": a.familyStr, "failures": 3, "time": 0, "matches": "", "bantime": 600}


def run(jail, act, state, present, absent_after):
    print("%s (%s)" % (jail, act.actionban.splitlines()[0][:70]))
    before = state()
    act.start()
    for ip in (V4, V6):
        act.ban(info(ip))
    s = state()
    for ip in (V4, V6):
        expect(ip in s, "%s: %s banned" % (jail, ip))
    for needle in present:
        expect(needle in s, "%s: ruleset contains %r" % (jail, needle))
    expect(act.consistencyCheck() is True, "%s: actioncheck passes" % jail)
    act.unban(info(V4))
    s = state()
    expect(V4 not in s and V6 in s, "%s: unban removes only %s" % (jail, V4))
    act.ban(info(V4))
    expect(act.flush() is True, "%s: flush succeeds" % jail)
    s = state()
    expect(V4 not in s and V6 not in s, "%s: flush removes all bans" % jail)
    act.ban(info(V4))
    act.stop()
    s = state()
    for needle in absent_after:
        expect(needle not in s, "%s: after stop no %r left" % (jail, needle))
    expect(s == before, "%s: after stop the ruleset is as before" % jail)


def main(confdir, workdir):
    acts = actions_from_stream(confdir)
    run("act-nft-mp", acts["act-nft-mp"], nft_state,
        ["table inet sharpban", "set ban-act-nft-mp-v4", "set ban-act-nft-mp-v6",
         "hook input priority filter - 1", "th dport { 22, 80, 8000-8100 }", "ip saddr @ban-act-nft-mp-v4 reject",
         "ip6 saddr @ban-act-nft-mp-v6 reject"],
        ["sharpban"])
    run("act-nft-all", acts["act-nft-all"], nft_state,
        ["set ban-act-nft-all-v4", "meta l4proto { tcp, udp } ip saddr @ban-act-nft-all-v4 drop"],
        ["sharpban"])
    run("act-ipt-mp", acts["act-ipt-mp"], ipt_state,
        [":sb-act-ipt-mp", "-A INPUT -p tcp -m multiport --dports 22,80,8000:8100 -j sb-act-ipt-mp",
         "-A sb-act-ipt-mp -s 192.0.2.33/32 -j REJECT --reject-with icmp-port-unreachable",
         "-A sb-act-ipt-mp -s 2001:db8::33/128 -j REJECT --reject-with icmp6-port-unreachable"],
        ["sb-act-ipt-mp"])
    run("act-ipt-all", acts["act-ipt-all"], ipt_state,
        ["-A INPUT -p tcp -j sb-act-ipt-all", "-A INPUT -p udp -j sb-act-ipt-all"],
        ["sb-act-ipt-all"])
    target = os.path.join(workdir, "dummy.out")
    act = acts["act-dummy"]
    print("act-dummy")
    act.start()
    act.ban(info(V4)); act.ban(info(V6)); act.unban(info(V4)); act.flush(); act.stop()
    lines = open(target).read().split()
    expect(lines == ["start", "act-dummy", "+" + V4, "+" + V6, "-" + V4, "flush", "act-dummy", "stop", "act-dummy"],
           "act-dummy: file records the events (%s)" % " ".join(lines))
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2]))
