#!/usr/bin/env bash
# Side-by-side daemons: fail2ban-server 1.0.2 vs sharpban server, same jail.local for both (one sshd jail,
# polling, a fork-per-ban dummy action appending "+IP" to a file, maxretry 3, usedns no), each daemon with its own
# shipped sshd filter. Measures:
#   ban run   N distinct attackers x 3 failures appended at once; wall time until the dummy file holds N bans,
#             CPU time of the daemon (self, and self + reaped children) from /proc/PID/stat, peak RSS (VmHWM)
#             and RSS while holding the N bans (VmRSS); for each N given (default 1000 10000)
#   idle      CPU over IDLE seconds (default 60) with 10 quiet jails, both daemons side by side
#   quiet RSS VmRSS with 5 quiet jails after 10 s
# Addresses are generated in 198.18.0.0/15 (benchmarking range) and only ever written to the log file: nothing
# is sent on the network. Usage: bench/server-vs-fail2ban.sh [N ...]
# env: IDLE=60 TIMEOUT=1200 ORDER=interleaved|grouped KINDS="fail2ban sharpban"
#      SHARPBAN_BIN=/path/to/sharpban (e.g. the NativeAOT build, see docs/performance.md; default: the Release build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=("${@:-1000 10000}")
read -r -a SIZES <<<"${SIZES[*]}"
IDLE=${IDLE:-60}
TIMEOUT=${TIMEOUT:-1200}
WORK=$(mktemp -d /tmp/sharpban-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do stop "$pid"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "${SHARPBAN_BIN:-}" ]; then dotnet build src/SharpBan -c Release --nologo -v q >/dev/null; fi
SB=${SHARPBAN_BIN:-$ROOT/src/SharpBan/bin/Release/net10.0/sharpban}
TCK=$(getconf CLK_TCK)

# -- configuration --------------------------------------------------------------------------------------------
# config DIR KIND JAILS: a config dir for KIND (sharpban|fail2ban) with JAILS jails
config() {
  local dir=$1 kind=$2 jails=$3
  mkdir -p "$dir"
  if [ "$kind" = fail2ban ]; then cp -r /etc/fail2ban/. "$dir"; rm -rf "$dir/jail.d"; else cp -r "$ROOT/config/." "$dir"; fi
  cat >"$dir/action.d/benchdummy.conf" <<'EOF'
[Definition]
actionstart = touch '<target>'
actionban = printf '%%s\n' "+<ip>" >> '<target>'
actionunban = printf '%%s\n' "-<ip>" >> '<target>'
[Init]
target = /dev/null
EOF
  cat >"$dir/fail2ban.local" <<EOF
[Definition]
loglevel = INFO
logtarget = $dir/daemon.log
socket = $dir/s.sock
pidfile = $dir/s.pid
dbfile = $dir/db.sqlite3
EOF
  {
    printf '[DEFAULT]\nbackend = polling\nusedns = no\nmaxretry = 3\nfindtime = 10m\nbantime = 1h\nignoreself = false\nignoreip =\n'
    for j in $(seq 1 "$jails"); do
      local name=sshd; [ "$j" -gt 1 ] && name="sshd$j"
      printf '[%s]\nenabled = true\nfilter = sshd\nport = ssh\nlogpath = %s/auth%s.log\naction = benchdummy[target="%s/dummy%s.out"]\n' \
        "$name" "$dir" "$j" "$dir" "$j"
      : >"$dir/auth$j.log"
    done
  } >"$dir/jail.local"
}

# start KIND DIR: starts the daemon in the foreground, echoes its pid once it answers ping
start() {
  local kind=$1 dir=$2 pid
  if [ "$kind" = fail2ban ]; then
    fail2ban-server -f -x -c "$dir" -s "$dir/s.sock" -p "$dir/s.pid" >"$dir/stdout" 2>&1 &
  else
    "$SB" server -f -x -c "$dir" -s "$dir/s.sock" -p "$dir/s.pid" >"$dir/stdout" 2>&1 &
  fi
  pid=$!
  for _ in $(seq 1 300); do
    if [ "$kind" = fail2ban ]; then fail2ban-client -s "$dir/s.sock" ping >/dev/null 2>&1 && break
    else "$SB" client -s "$dir/s.sock" ping >/dev/null 2>&1 && break; fi
    sleep 0.1
  done
  echo "$pid"
}

# stop PID: SIGTERM, then wait (up to 30 s) until the process is gone
stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 300); do [ -e "/proc/$1" ] || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# cpu PID SELF|ALL: clock ticks used (utime+stime; ALL adds reaped children cutime+cstime and the same four
# fields of the live children, e.g. SharpBan's long-lived action shells, which reap the commands they fork)
cpu() {
  local f c t; f=$(sed 's/^.*) //' "/proc/$1/stat")
  read -r -a a <<<"$f"
  # after "pid (comm) ": field 3 is a[0], utime (14) a[11], stime a[12], cutime a[13], cstime a[14]
  if [ "$2" = SELF ]; then echo $((a[11] + a[12])); return; fi
  t=$((a[11] + a[12] + a[13] + a[14]))
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    f=$(sed 's/^.*) //' "/proc/$c/stat" 2>/dev/null) || continue
    read -r -a a <<<"$f"
    t=$((t + a[11] + a[12] + a[13] + a[14]))
  done
  echo "$t"
}
kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
now() { date +%s.%N; }
secs() { echo "scale=2; $1 / $TCK" | bc; }
mb() { echo "scale=1; $1 / 1024" | bc; }
ratio() { if [ -n "$1" ] && [ -n "$2" ] && [ "$(echo "$2 > 0" | bc)" = 1 ]; then echo "scale=1; $1 / $2" | bc; else echo "-"; fi; }

# lines DIR N: N attackers x 3 failures (198.18.0.0/15), all appended at once; ORDER=interleaved (default: every
# attacker's 1st failure, then every 2nd, then every 3rd, so N tickets are open at once) or grouped (3 in a row)
lines() {
  awk -v n="$2" -v order="${ORDER:-interleaved}" -v d="$(date '+%b %d %H:%M:%S')" '
  function line(i, k,   net) { net = int(i / 254)
    printf "%s host sshd[%d]: Failed password for root from 198.%d.%d.%d port %d ssh2\n", d, 1000 + i % 30000, 18 + int(net / 256), net % 256, i % 254 + 1, 40000 + k }
  BEGIN {
    if (order == "grouped") { for (i = 0; i < n; i++) for (k = 0; k < 3; k++) line(i, k) }
    else { for (k = 0; k < 3; k++) for (i = 0; i < n; i++) line(i, k) }
  }' >"$1/attack.log"
}

declare -A R
# banrun KIND N
banrun() {
  local kind=$1 n=$2 dir="$WORK/$1-$2" pid t0 c0 a0 t1 banned
  config "$dir" "$kind" 1
  pid=$(start "$kind" "$dir"); PIDS+=("$pid")
  sleep 2
  lines "$dir" "$n"
  c0=$(cpu "$pid" SELF); a0=$(cpu "$pid" ALL); t0=$(now)
  cat "$dir/attack.log" >>"$dir/auth1.log"
  while :; do
    banned=$(grep -c '^+' "$dir/dummy1.out" 2>/dev/null || true)
    [ "${banned:-0}" -ge "$n" ] && break
    if [ "$(echo "$(now) - $t0 > $TIMEOUT" | bc)" = 1 ]; then echo "$kind N=$n: timed out with $banned bans" >&2; break; fi
    sleep 0.05
  done
  t1=$(now)
  R[$kind,$n,time]=$(echo "scale=2; ($t1 - $t0) / 1" | bc)
  R[$kind,$n,rate]=$(echo "scale=1; ${banned:-0} / ($t1 - $t0)" | bc)
  R[$kind,$n,cpu]=$(secs $(($(cpu "$pid" SELF) - c0)))
  R[$kind,$n,cpuall]=$(secs $(($(cpu "$pid" ALL) - a0)))
  R[$kind,$n,hwm]=$(mb "$(kb "$pid" VmHWM)")
  sleep 2
  R[$kind,$n,rss]=$(mb "$(kb "$pid" VmRSS)")
  R[$kind,$n,banned]=${banned:-0}
  stop "$pid"
}

for n in "${SIZES[@]}"; do
  for kind in ${KINDS:-fail2ban sharpban}; do
    echo "ban run: $kind N=$n ..." >&2
    banrun "$kind" "$n"
  done
done

echo "idle: 10 quiet jails each, ${IDLE} s ..." >&2
config "$WORK/f-idle" fail2ban 10; config "$WORK/s-idle" sharpban 10
fp=$(start fail2ban "$WORK/f-idle"); sp=$(start sharpban "$WORK/s-idle"); PIDS+=("$fp" "$sp")
sleep 5
fc=$(cpu "$fp" ALL); sc=$(cpu "$sp" ALL)
sleep "$IDLE"
R[fail2ban,idle]=$(echo "scale=3; ($(cpu "$fp" ALL) - $fc) * 100 / $TCK / $IDLE" | bc)
R[sharpban,idle]=$(echo "scale=3; ($(cpu "$sp" ALL) - $sc) * 100 / $TCK / $IDLE" | bc)
stop "$fp"; stop "$sp"

echo "quiet RSS: 5 quiet jails each ..." >&2
config "$WORK/f-rss" fail2ban 5; config "$WORK/s-rss" sharpban 5
fp=$(start fail2ban "$WORK/f-rss"); sp=$(start sharpban "$WORK/s-rss"); PIDS+=("$fp" "$sp")
sleep 10
R[fail2ban,rss5]=$(mb "$(kb "$fp" VmRSS)"); R[sharpban,rss5]=$(mb "$(kb "$sp" VmRSS)")
stop "$fp"; stop "$sp"

echo
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(fail2ban-server -V 2>/dev/null | head -1)"
printf '%-34s %14s %14s %10s\n' "measure" "fail2ban" "sharpban" "ratio"
for n in "${SIZES[@]}"; do
  printf '%-34s %14s %14s %9sx\n' "N=$n time to ban all (s)" "${R[fail2ban,$n,time]:-}" "${R[sharpban,$n,time]:-}" "$(ratio "${R[fail2ban,$n,time]:-}" "${R[sharpban,$n,time]:-}")"
  printf '%-34s %14s %14s %9sx\n' "N=$n ban rate (bans/s)" "${R[fail2ban,$n,rate]:-}" "${R[sharpban,$n,rate]:-}" "$(ratio "${R[sharpban,$n,rate]:-}" "${R[fail2ban,$n,rate]:-}")"
  printf '%-34s %14s %14s %9sx\n' "N=$n CPU daemon (s)" "${R[fail2ban,$n,cpu]:-}" "${R[sharpban,$n,cpu]:-}" "$(ratio "${R[fail2ban,$n,cpu]:-}" "${R[sharpban,$n,cpu]:-}")"
  printf '%-34s %14s %14s %9sx\n' "N=$n CPU incl. actions (s)" "${R[fail2ban,$n,cpuall]:-}" "${R[sharpban,$n,cpuall]:-}" "$(ratio "${R[fail2ban,$n,cpuall]:-}" "${R[sharpban,$n,cpuall]:-}")"
  printf '%-34s %14s %14s %9sx\n' "N=$n peak RSS (MB)" "${R[fail2ban,$n,hwm]:-}" "${R[sharpban,$n,hwm]:-}" "$(ratio "${R[fail2ban,$n,hwm]:-}" "${R[sharpban,$n,hwm]:-}")"
  printf '%-34s %14s %14s %9sx\n' "N=$n RSS holding the bans (MB)" "${R[fail2ban,$n,rss]:-}" "${R[sharpban,$n,rss]:-}" "$(ratio "${R[fail2ban,$n,rss]:-}" "${R[sharpban,$n,rss]:-}")"
done
printf '%-34s %14s %14s\n' "idle CPU, 10 jails (% of a core)" "${R[fail2ban,idle]:-}" "${R[sharpban,idle]:-}"
printf '%-34s %14s %14s %9sx\n' "RSS, 5 quiet jails (MB)" "${R[fail2ban,rss5]:-}" "${R[sharpban,rss5]:-}" "$(ratio "${R[fail2ban,rss5]:-}" "${R[sharpban,rss5]:-}")"
