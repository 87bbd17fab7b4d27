#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed, N skipped" (summed over all projects).
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build SharpBan.slnx -c Release --nologo -v q 2>&1 | tail -n 20
build_rc=${PIPESTATUS[0]}
if [ "$build_rc" -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
rc=0
for project in tests/*/*.csproj; do
  dotnet test "$project" -c Release --no-build --nologo "$@" 2>&1 | tee -a "$log" | grep -vE '^\s*$' | tail -n 40
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
done
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
projects=$(ls tests/*/*.csproj | wc -l)
summaries=$(grep -cE '(Passed|Failed)! +-' "$log")
if [ "$summaries" -lt "$projects" ]; then
  echo "only $summaries of $projects test projects reported results"
  rc=1
  [ "$failed" -gt 0 ] || failed=1
fi
[ "$failed" -eq 0 ] || rc=1
if [ "$failed" -gt 0 ]; then
  # the tails above may not show which tests failed: name each, with the first lines of its message
  echo "failed tests:"
  awk '/^ +Failed [A-Za-z_][A-Za-z0-9_.]*/ { n = 60 } n > 0 { print; n-- }' "$log" | cut -c1-300
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
