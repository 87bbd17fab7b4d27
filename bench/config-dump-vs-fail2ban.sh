#!/usr/bin/env bash
# Whole-process time of `sharpban client -d` against `fail2ban-client -d` on the same configuration:
# Debian's /etc/fail2ban copied to a temp dir with every jail enabled (issue 2, case a).
# Needs: fail2ban (apt), hyperfine (apt). Builds a native (AOT) and a JIT sharpban first.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r /etc/fail2ban "$work/conf"
printf '[DEFAULT]\nenabled = true\nbackend = polling\n' > "$work/conf/jail.local"
dotnet publish src/SharpBan -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" --nologo -v q >/dev/null
dotnet build src/SharpBan -c Release --nologo -v q >/dev/null
jit=src/SharpBan/bin/Release/net10.0/sharpban

# same output first: the dumps must be the same multiset of commands
fail2ban-client -c "$work/conf" -d 2>/dev/null | python3 -c '
import ast, json, sys
for l in sys.stdin:
    if l.startswith("["): print(json.dumps(ast.literal_eval(l), sort_keys=True))' | sort > "$work/ref"
"$work/aot/sharpban" client -c "$work/conf" -d 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin: print(json.dumps(json.loads(l), sort_keys=True))' | sort > "$work/ours"
if ! diff -q "$work/ref" "$work/ours" >/dev/null; then
  echo "DIFFERENT OUTPUT (not only in scalar types?)"; diff "$work/ref" "$work/ours" | head -5
fi
echo "lines: fail2ban $(wc -l < "$work/ref"), sharpban $(wc -l < "$work/ours")"

hyperfine -N -w 3 -r 30 --export-json "$work/h.json" \
  -n fail2ban-client "fail2ban-client -c $work/conf -d" \
  -n sharpban-aot "$work/aot/sharpban client -c $work/conf -d" \
  -n sharpban-jit "$jit client -c $work/conf -d" >/dev/null
python3 - "$work/h.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
f = r["fail2ban-client"]
for name, t in r.items():
    print(f"{name:16s} {t*1000:8.1f} ms   ratio vs fail2ban: {f/t:5.2f}x")
PY
