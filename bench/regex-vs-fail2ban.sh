#!/usr/bin/env bash
# Side-by-side: fail2ban-regex vs sharpban regex on seeded logs with stock filters.
# Fails when the "Lines: ... matched ... missed" counts differ; prints both wall times and the ratio.
# Usage: bench/regex-vs-fail2ban.sh [lines]   (default 500000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# the deployable build: framework-dependent with ReadyToRun code (start-up without JIT of our own code; the engine's
# hot methods are still jitted optimised, regexes still compiled at run time). SHARPBAN_BIN overrides it.
if [ -n "${SHARPBAN_BIN:-}" ]; then
  SB=$SHARPBAN_BIN
else
  dotnet publish src/SharpBan -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true --nologo -v q -o "$WORK/sharpban" >/dev/null
  SB=$WORK/sharpban/sharpban
fi
# an incremental publish can reuse stale ReadyToRun images from an earlier publish of another kind (a composite
# publish leaves component stubs in obj/ that abort at start without a message): check before timing anything
if ! "$SB" --version >/dev/null 2>&1; then
  echo "error: $SB does not start; remove src/*/obj/Release/net10.0/linux-x64 and run again" >&2
  exit 1
fi

python3 - "$WORK" "$N" <<'PY'
import random, sys
out, n = sys.argv[1], int(sys.argv[2])
r = random.Random(42)
def ip(): return "192.0.2.%d" % r.randint(1, 254) if r.random() < .8 else "2001:db8::%x" % r.randint(1, 65535)
def ts(i): s = i % 86400; return "Aug 14 %02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60)
users = ["root", "admin", "test", "oracle", "bob"]
with open(out + "/sshd.log", "w") as f:
    for i in range(n):
        p, pid = r.random(), r.randint(1000, 99999)
        h = "%s srv sshd[%d]: " % (ts(i), pid)
        if p < .12: f.write(h + "Failed password for %s from %s port %d ssh2\n" % (r.choice(users), ip(), r.randint(1024, 65535)))
        elif p < .20: f.write(h + "Failed password for invalid user %s from %s port %d ssh2\n" % (r.choice(users), ip(), r.randint(1024, 65535)))
        elif p < .26: f.write(h + "Invalid user %s from %s port %d\n" % (r.choice(users), ip(), r.randint(1024, 65535)))
        elif p < .30: f.write(h + "error: PAM: Authentication failure for %s from %s\n" % (r.choice(users), ip()))
        elif p < .55: f.write(h + "Accepted publickey for bob from %s port %d ssh2: RSA SHA256:abc\n" % (ip(), r.randint(1024, 65535)))
        elif p < .80: f.write(h + "Received disconnect from %s port %d:11: disconnected by user\n" % (ip(), r.randint(1024, 65535)))
        else: f.write("%s srv CRON[%d]: pam_unix(cron:session): session opened for user root by (uid=0)\n" % (ts(i), pid))
with open(out + "/nginx.log", "w") as f:
    for i in range(n):
        s = i % 86400; t = "2005/08/14 %02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60)
        if r.random() < .3:
            f.write('%s [error] 123#0: *%d user "%s" was not found in "/etc/nginx/.htpasswd", client: %s, server: example.org, request: "GET / HTTP/1.1", host: "example.org"\n' % (t, i, r.choice(users), ip()))
        else:
            f.write('%s - - [14/Aug/2005:%02d:%02d:%02d +0200] "GET /index.html HTTP/1.1" 200 612 "-" "curl/8"\n' % (ip(), s // 3600, s // 60 % 60, s % 60))
with open(out + "/mail.log", "w") as f:
    for i in range(n):
        h = "%s mx postfix/smtpd[%d]: " % (ts(i), r.randint(100, 9999)); p = r.random()
        if p < .15: f.write(h + "NOQUEUE: reject: RCPT from unknown[%s]: 554 5.7.1 <spam@example.com>: Relay access denied; from=<a@b.c> to=<spam@example.com> proto=ESMTP helo=<x>\n" % ip())
        elif p < .3: f.write(h + "warning: unknown[%s]: SASL LOGIN authentication failed: UGFzc3dvcmQ6\n" % ip())
        elif p < .6: f.write("%s mx dovecot: imap-login: Login: user=<bob>, method=PLAIN, rip=%s, lip=192.0.2.1, mpid=1, TLS\n" % (ts(i), ip()))
        else: f.write(h + "connect from unknown[%s]\n" % ip())
PY

run() { # name log filter
  local name=$1 log=$2 filter=$3
  local t0 t1 t2 f2b sb
  t0=$(date +%s.%N); f2b=$(fail2ban-regex "$log" "$filter" | grep '^Lines:'); t1=$(date +%s.%N)
  sb=$(/usr/bin/time -f '%M' -o "$WORK/rss" "$SB" regex "$log" "$filter" | grep '^Lines:'); t2=$(date +%s.%N)
  local a b
  a=$(echo "$t1 - $t0" | bc); b=$(echo "$t2 - $t1" | bc)
  printf '%-8s fail2ban-regex %6.2fs  sharpban %6.2fs  ratio %5.1fx  sharpban peak RSS %s KiB\n' "$name" "$a" "$b" "$(echo "$a / $b" | bc -l)" "$(cat "$WORK/rss")"
  if [ "$f2b" != "$sb" ]; then echo "  MISMATCH: fail2ban: $f2b"; echo "            sharpban: $sb"; return 1; fi
  echo "  $sb"
}
rc=0
run sshd "$WORK/sshd.log" sshd || rc=1
run nginx "$WORK/nginx.log" nginx-http-auth || rc=1
run mail "$WORK/mail.log" postfix || rc=1
exit $rc
