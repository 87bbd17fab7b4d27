#!/usr/bin/env bash
# Compares what two builds of sharpban report for every filter of a config directory on one log: the NDJSON of
# `regex --json` and the `-v` report (less its elapsed-time line), with a fixed "now". A change meant to make the engine
# faster must leave both identical. Exit status: the number of filters whose output differs (0: identical).
#   bench/compare-builds.sh OLD/sharpban NEW/sharpban LOG [FILTERDIR]   (FILTERDIR defaults to /etc/fail2ban/filter.d)
set -u
old=$1; new=$2; log=$3; dir=${4:-/etc/fail2ban/filter.d}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
differ=0; total=0
for filter in "$dir"/*.conf; do
  total=$((total + 1))
  for side in old new; do
    bin=$old; [ "$side" = new ] && bin=$new
    "$bin" regex --json --now 1124013600 "$log" "$filter" > "$work/$side.json" 2> "$work/$side.err"
    "$bin" regex -v --now 1124013600 "$log" "$filter" 2>&1 | grep -v "processed in" > "$work/$side.txt"
  done
  if ! cmp -s "$work/old.json" "$work/new.json" || ! cmp -s "$work/old.txt" "$work/new.txt"; then
    echo "differs: $filter"; differ=$((differ + 1))
  fi
done
echo "$differ of $total filters differ"
exit "$differ"
