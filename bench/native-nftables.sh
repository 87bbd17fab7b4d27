#!/usr/bin/env bash
# Native nftables backend timings (root; ip, nft): runs the namespace tests that time
#   - 10,000 bans in one transaction (nft -f and libnftables),
#   - a start with 20,000 persisted bans (nft -f and libnftables),
#   - one ban per transaction, mean over 100 (nft -f and libnftables),
# each in a fresh network namespace, and prints their "BENCH" lines. Timings are reported, not asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/SharpBan.Tests/SharpBan.Tests.csproj -c Release --nologo -v q >/dev/null
SHARPBAN_REQUIRE_ROOT=1 dotnet test tests/SharpBan.Tests/SharpBan.Tests.csproj -c Release --no-build --nologo \
  --filter "FullyQualifiedName~NativeNftablesNetworkTests&(FullyQualifiedName~Thousand|FullyQualifiedName~Sequential)" \
  --logger "console;verbosity=detailed" | grep -E '^ *BENCH' | sed 's/^ *//'
