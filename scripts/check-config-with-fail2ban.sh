#!/usr/bin/env bash
# Checks the shipped configuration (config/) against the real fail2ban 1.0.x, used as an oracle:
#   1. every annotated sample log line (tests/SharpBan.Compat.Tests/SampleLogs/<filter>) gives the
#      annotated result with fail2ban's filter engine, in every mode the file asks for;
#   2. fail2ban-regex loads each filter file from config/filter.d (includes resolve);
#   3. fail2ban-client -d parses the whole configuration with every jail enabled;
#   4. the nftables/iptables(-log)/iptables-ipset/dummy actions, rendered and run by fail2ban's action engine inside a
#      throw-away network namespace (unshare -n, needs root), ban, check, unban, flush and clean up.
#      Skipped with a notice when not root or when nft/iptables/ipset are missing.
# Exits non-zero when any check fails. Needs: fail2ban (Debian package), python3.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
conf=$root/config
samples=$root/tests/SharpBan.Compat.Tests/SampleLogs
py=/usr/bin/python3
rc=0
fail() { echo "FAILED: $*"; rc=1; }

command -v fail2ban-regex >/dev/null && command -v fail2ban-client >/dev/null \
  || { echo "fail2ban is not installed (apt-get install fail2ban)"; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== 1. sample logs through fail2ban's filter engine"
"$py" scripts/check-samples-with-fail2ban.py "$conf" "$samples" || fail "sample logs"

echo "== 2. fail2ban-regex on each filter"
for f in "$samples"/*; do
  name=$(basename "$f")
  out=$(fail2ban-regex "$f" "$conf/filter.d/$name.conf" 2>&1)
  if [ $? -ne 0 ] || ! grep -q '^Lines: ' <<<"$out"; then
    echo "$out" | tail -n 20
    fail "fail2ban-regex $name"
  else
    echo "$name: $(grep '^Lines: ' <<<"$out")"
  fi
done

echo "== 3. fail2ban-client -d with every jail enabled"
cp -r "$conf" "$tmp/conf"
mkdir -p "$tmp/logs"
# every log path of paths.conf (a value starting with "/") points at an empty file of its own
: > "$tmp/logs/test.log"
{
  echo "[DEFAULT]"
  for v in $(sed -nE 's/^([A-Za-z0-9_]+)[[:space:]]*=[[:space:]]*\/.*/\1/p' "$conf/paths.conf"); do
    : > "$tmp/logs/$v.log"
    echo "$v = $tmp/logs/$v.log"
  done
} > "$tmp/conf/paths.local"
cat > "$tmp/conf/jail.local" <<EOT
[DEFAULT]
enabled = true
backend = polling

[act-nft-mp]
filter = sshd
logpath = $tmp/logs/test.log
action = nftables-multiport[port="ssh,http,8000:8100", protocol="tcp,udp"]

[act-nft-all]
filter = sshd
logpath = $tmp/logs/test.log
action = nftables-allports[protocol="tcp,udp", blocktype=drop]

[act-ipt-mp]
filter = sshd
logpath = $tmp/logs/test.log
banaction = iptables-multiport
port = ssh,http,8000:8100

[act-ipt-all]
filter = sshd
logpath = $tmp/logs/test.log
banaction = iptables-allports
protocol = tcp,udp
action = %(banaction)s[protocol="%(protocol)s"]

[act-ipt-log]
filter = sshd
logpath = $tmp/logs/test.log
banaction = iptables-multiport-log
port = 22,80

[act-ips-mp]
filter = sshd
logpath = $tmp/logs/test.log
action = iptables-ipset[port="22,80,8000:8100", protocol="tcp,udp"]

[act-ips-all]
filter = sshd
logpath = $tmp/logs/test.log
banaction = iptables-ipset-proto6-allports
action = %(banaction)s[protocol="tcp"]
         iptables-ipset-proto6[name="act-ips-p6", port="ssh"]

[act-dummy]
filter = sshd
logpath = $tmp/logs/test.log
action = dummy[target="$tmp/dummy.out"]

[act-mwl]
filter = sshd
logpath = $tmp/logs/test.log
action = %(action_mwl)s

[act-mw-mail]
filter = sshd
logpath = $tmp/logs/test.log
mta = mail
action = %(action_mw)s
         mail-whois-lines[logpath="%(logpath)s"]
         sendmail[dest="a@example.org"]
         sendmail-whois-matches
         sendmail-whois-ipmatches[dest="a@example.org"]
         sendmail-whois-ipjailmatches
         mail[dest="a@example.org"]

[act-fwcmd]
filter = sshd
logpath = $tmp/logs/test.log
action = firewallcmd-multiport[port="ssh,2000:2300"]
         firewallcmd-allports
         firewallcmd-rich-rules
         firewallcmd-ipset

[act-web]
filter = sshd
logpath = $tmp/logs/test.log
action = %(action_)s
         %(action_abuseipdb)s[abuseipdb_apikey="k", abuseipdb_category="18,22"]
         cloudflare-token[cftoken="t", cfzone="z"]
         apprise[config="$tmp/apprise.yml"]

[act-ufw]
filter = sshd
logpath = $tmp/logs/test.log
banaction = ufw
action = %(action_)s
         ufw[name=ufw-app, application="OpenSSH", kill-mode=ss, blocktype=deny]

[act-hosts-route]
filter = sshd
logpath = $tmp/logs/test.log
action = hostsdeny[daemon_list="sshd, vsftpd"]
         route[blocktype=blackhole]
EOT
if out=$(fail2ban-client -c "$tmp/conf" -d 2>&1); then
  if grep -qE "^\['config-error'|^ERROR|ERROR  " <<<"$out"; then
    grep -E "config-error|ERROR" <<<"$out" | head -n 20
    fail "fail2ban-client -d reported errors"
  else
    jails=$(grep -c "^\['add', " <<<"$out")
    echo "parsed, $jails jails, $(wc -l <<<"$out") stream lines"
    for j in $(grep -oP '^\[\K[^]]+(?=\])' "$conf/jail.conf" | grep -vx -e INCLUDES -e DEFAULT); do
      grep -q "^\['add', '$j'" <<<"$out" || fail "jail $j missing from the stream"
    done
  fi
else
  echo "$out" | tail -n 20
  fail "fail2ban-client -d"
fi
# the shipped file alone (only sshd enabled) must load too
if out=$(fail2ban-client -c "$conf" -d 2>&1) && ! grep -qE "^\['config-error'|ERROR" <<<"$out"; then
  echo "shipped config as is: jails $(grep "^\['add', " <<<"$out" | cut -d"'" -f4 | tr '\n' ' ')"
else
  # only acceptable failure: the log file of the enabled jail does not exist on this host
  grep -q "Have not found any log file" <<<"$out" && echo "shipped config as is: parsed (no $(grep -o '/var/log/[^ ]*' <<<"$out" | head -1) here)" \
    || { echo "$out" | tail -n 10; fail "fail2ban-client -c config -d"; }
fi

echo "== 4. actions executed by fail2ban in a private network namespace"
if [ "$(id -u)" -ne 0 ] || ! command -v nft >/dev/null || ! command -v iptables >/dev/null || ! command -v ipset >/dev/null; then
  echo "SKIPPED: needs root, nft, iptables and ipset"
elif ! unshare -n true 2>/dev/null; then
  echo "SKIPPED: unshare -n not permitted here"
else
  unshare -n "$py" scripts/check-actions-with-fail2ban.py "$tmp/conf" "$tmp" || fail "actions"
fi

[ $rc -eq 0 ] && echo "ALL CHECKS PASSED" || echo "SOME CHECKS FAILED"
exit $rc
