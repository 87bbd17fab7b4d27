#!/usr/bin/env bash
# Firewall side by side, fail2ban 1.0.2 (nftables-multiport action) vs SharpBan (native nftables backend), each in
# a fresh network namespace (root; ip, nft, fail2ban, python3). Addresses (2001:db8::/32) only appear in log text.
#   live:     LIVE distinct attackers (3 "Failed password" lines each, written at once): time until all are in the
#             kernel set;
#   restart:  RESTART unexpired bans in the database (rows written with sqlite3): time from server start until all
#             are in the kernel set;
#   latency:  SharpBan only, LATENCY sequential attackers: time from the 3rd failure line written to the element
#             appearing (nft monitor), p50/p99.
# fail2ban's runs are capped at F2B_CAP seconds; when capped, the rate so far is reported.
# Usage: sudo bench/firewall-vs-fail2ban.sh   (env: LIVE=10000 RESTART=20000 LATENCY=1000 F2B_CAP=300
#        SHARPBAN_BIN=/path/to/sharpban, e.g. the NativeAOT build; default: the Release build
#        WHO="sharpban fail2ban": the daemons to run; WHO=sharpban skips fail2ban and the ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
LIVE=${LIVE:-10000} RESTART=${RESTART:-20000} LATENCY=${LATENCY:-1000} F2B_CAP=${F2B_CAP:-300}
if [ -z "${SHARPBAN_BIN:-}" ]; then dotnet build src/SharpBan/SharpBan.csproj -c Release --nologo -v q >/dev/null; fi
SHARPBAN=${SHARPBAN_BIN:-$PWD/src/SharpBan/bin/Release/net10.0/sharpban}
WORK=$(mktemp -d /tmp/sb-bench-XXXXXX)
NS="sbb-$$"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if ip netns list | grep -q "^$NS\b"; then
    for p in $(ip netns pids "$NS"); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$NS"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
# count elements of "inet TABLE SET" in the namespace
count() { { ip netns exec "$NS" nft list set inet "$1" "$2" 2>/dev/null || true; } | { grep -o '2001:db8:[0-9a-f:]*' || true; } | wc -l; }
# wait until count >= N or CAP seconds; prints "seconds count"
wait_count() {
  local table=$1 set=$2 n=$3 cap=$4 start=$5 c=0
  while :; do
    c=$(count "$table" "$set")
    local t; t=$(python3 -c "print($(now)-$start)")
    if [ "$c" -ge "$n" ] || python3 -c "import sys; sys.exit(0 if $t>$cap else 1)"; then echo "$t $c"; return; fi
    sleep 0.1
  done
}
# fail2ban-format sshd failure lines for attackers FROM..TO-1
lines() { python3 - "$1" "$2" <<'PY'
import sys, time
a, b = int(sys.argv[1]), int(sys.argv[2])
stamp = time.strftime("%b %d %H:%M:%S")
out = []
for i in range(a, b):
    ip = "2001:db8:%x:%x::1" % (i >> 16, i & 0xffff)
    for k in range(3):
        out.append(f"{stamp} bench sshd[{1000 + i % 60000}]: Failed password for root from {ip} port {40000 + k} ssh2\n")
sys.stdout.write("".join(out))
PY
}
prefill_db() { python3 - "$1" "$2" <<'PY'
import sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
c.execute("DELETE FROM bans"); c.execute("DELETE FROM bips")  # only the pre-filled bans count
now = int(time.time())
rows = [("sshd", "2001:db8:%x:%x::2" % (i >> 16, i & 0xffff), now, 86400, 1, '{"failures": 3}') for i in range(n)]
c.executemany("INSERT INTO bans(jail, ip, timeofban, bantime, bancount, data) VALUES (?,?,?,?,?,?)", rows)
c.executemany("INSERT OR REPLACE INTO bips(jail, ip, timeofban, bantime, bancount, data) VALUES (?,?,?,?,?,?)", rows)
c.commit()
PY
}

# ---- configurations ----
setup() { # NAME: fresh namespace + config dir $WORK/NAME
  ip netns add "$NS"; ip -n "$NS" link set lo up
  local d="$WORK/$1"; rm -rf "$d"; mkdir -p "$d"
  if [ "$1" = fail2ban ]; then cp -r /etc/fail2ban/. "$d/"; BANACTION=nftables-multiport; else cp -r config/. "$d/"; BANACTION=nftables-native; fi
  : > "$d/auth.log"
  cat > "$d/fail2ban.local" <<EOC
[Definition]
logtarget = $d/server.log
socket = $d/s.sock
pidfile = $d/s.pid
dbfile = $d/db.sqlite3
loglevel = NOTICE
EOC
  cat > "$d/jail.local" <<EOC
[DEFAULT]
banaction = $BANACTION
banaction_allports = $BANACTION
[sshd]
enabled = true
backend = auto
logpath = $d/auth.log
port = 22
maxretry = 3
findtime = 1h
bantime = 1d
EOC
}
teardown() { for p in $(ip netns pids "$NS"); do kill -9 "$p" 2>/dev/null || true; done; ip netns del "$NS"; }
start_server() { # NAME
  local d="$WORK/$1"
  if [ "$1" = fail2ban ]; then
    ip netns exec "$NS" fail2ban-server -f -x -c "$d" -s "$d/s.sock" -p "$d/s.pid" >"$d/stdout" 2>&1 & PIDS+=($!)
    until fail2ban-client -s "$d/s.sock" ping >/dev/null 2>&1; do sleep 0.05; done
  else
    ip netns exec "$NS" "$SHARPBAN" server -f -x -c "$d" >"$d/stdout" 2>&1 & PIDS+=($!)
    until "$SHARPBAN" client -c "$d" ping >/dev/null 2>&1; do sleep 0.05; done
  fi
}
stop_server() { # NAME
  local d="$WORK/$1"
  if [ "$1" = fail2ban ]; then timeout 600 fail2ban-client -s "$d/s.sock" stop >/dev/null 2>&1 || true
  else timeout 600 "$SHARPBAN" client -c "$d" stop >/dev/null 2>&1 || true; fi
  while [ -e "$d/s.sock" ]; do sleep 0.1; done
}
table_of() { if [ "$1" = fail2ban ]; then echo "f2b-table addr6-set-sshd"; else echo "sharpban-native ban6-sshd"; fi; }
cap_of() { if [ "$1" = fail2ban ]; then echo "$F2B_CAP"; else echo 600; fi; }

declare -A LIVE_T LIVE_N RESTART_T RESTART_N
for who in ${WHO:-sharpban fail2ban}; do
  read -r table set < <(table_of $who)
  # live
  setup $who; start_server $who
  start=$(now); lines 0 "$LIVE" >> "$WORK/$who/auth.log"
  read -r t n < <(wait_count "$table" "$set" "$LIVE" "$(cap_of $who)" "$start")
  LIVE_T[$who]=$t; LIVE_N[$who]=$n
  printf 'live     %s: %s of %s bans in the kernel after %.2f s\n' "$who" "$n" "$LIVE" "$t"
  # restart: stop, pre-fill the database, start again
  stop_server $who
  prefill_db "$WORK/$who/db.sqlite3" "$RESTART"
  : > "$WORK/$who/auth.log"
  ip netns exec "$NS" nft delete table inet "$table" 2>/dev/null || true
  start=$(now); start_server $who
  read -r t n < <(wait_count "$table" "$set" "$RESTART" "$(cap_of $who)" "$start")
  RESTART_T[$who]=$t; RESTART_N[$who]=$n
  printf 'restart  %s: %s of %s persisted bans re-applied after %.2f s (from server start)\n' "$who" "$n" "$RESTART" "$t"
  teardown
done

ratio() { python3 -c "
tf, nf, ts, ns, want = $1, $2, $3, $4, $5
rate_f, rate_s = nf / tf, ns / ts
if nf >= want: print(f'{tf:.2f} s vs {ts:.2f} s: SharpBan {tf/ts:.0f}x faster')
else: print(f'fail2ban capped at {tf:.0f} s with {nf} of {want} ({rate_f:.1f} bans/s; all {want} would take ~{want/max(rate_f,1e-9):.0f} s) vs SharpBan {ts:.2f} s: >= {want/max(rate_f,1e-9)/ts:.0f}x')"; }
if [ -n "${LIVE_T[fail2ban]:-}" ] && [ -n "${LIVE_T[sharpban]:-}" ]; then
echo "LIVE    $LIVE bans:    $(ratio "${LIVE_T[fail2ban]}" "${LIVE_N[fail2ban]}" "${LIVE_T[sharpban]}" "${LIVE_N[sharpban]}" "$LIVE")"
echo "RESTART $RESTART bans: $(ratio "${RESTART_T[fail2ban]}" "${RESTART_N[fail2ban]}" "${RESTART_T[sharpban]}" "${RESTART_N[sharpban]}" "$RESTART")"
fi

# ---- detection latency (SharpBan, inotify) ----
setup sharpban; start_server sharpban
python3 - "$NS" "$WORK/sharpban/auth.log" "$LATENCY" <<'PY'
import ipaddress, subprocess, sys, threading, time
ns, log, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
mon = subprocess.Popen(["ip", "netns", "exec", ns, "nft", "monitor", "new", "elements"], stdout=subprocess.PIPE, text=True, bufsize=1)
time.sleep(0.5)
seen, cond = {}, threading.Condition()
def read():
    for line in mon.stdout:
        t = time.monotonic()
        with cond:
            for ip in [w.strip("{},") for w in line.split() if w.startswith("2001:db8:")]:
                seen.setdefault(ip, t)
            cond.notify_all()
threading.Thread(target=read, daemon=True).start()
lat = []
stamp = time.strftime("%b %d %H:%M:%S")
with open(log, "a") as f:
    for i in range(n):
        ip = str(ipaddress.ip_address("2001:db8:aaaa:%x::3" % i))
        for k in range(3):
            f.write(f"{stamp} bench sshd[{2000 + i}]: Failed password for root from {ip} port {40000 + k} ssh2\n")
            f.flush()
            t0 = time.monotonic()
        with cond:
            if not cond.wait_for(lambda: ip in seen, timeout=10):
                print(f"latency: {ip} not banned within 10 s"); sys.exit(1)
            lat.append((seen[ip] - t0) * 1000)
mon.kill()
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print(f"LATENCY {n} bans (write of 3rd failure -> element in kernel, SharpBan, inotify): p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {lat[-1]:.1f} ms")
PY
stop_server sharpban
teardown
