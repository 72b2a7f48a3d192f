#!/usr/bin/env bash
# The test command: everything a fresh clone needs to run every test of the solution.
# Publishes the CLI's native build (tools/publish-native.sh) for the tests that run it.
# Installs the npm packages of the local stand-ins for Azure services (Azurite, the Cosmos DB stand-in)
# when they are missing or older than package-lock.json, starts both on free loopback ports, runs
# `dotnet test Functions.sln -c Release`, stops them, and prints "Tests: N passed, N failed, N skipped".
# Exits non-zero when a test fails, the run fails, or no test ran.
# Usage: bash tests/run.sh [extra dotnet test arguments, e.g. --filter "FullyQualifiedName~Fraud"]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The CLI's native build in out/native, for the tests that run it (NativeBuildTests); a few minutes the first time.
GAMESIGNALS_NATIVE_CLI="$(bash tools/publish-native.sh)"
export GAMESIGNALS_NATIVE_CLI

# The integration tests' fixture uses these running services instead of starting its own.
source tests/local-services.sh
start_local_services

rm -rf TestResults
set +e
dotnet test Functions.sln -c Release --logger trx --results-directory TestResults "$@"
test_status=$?
set -e

stop_local_services

# Sum the counters of every TRX file the run wrote.
passed=0; failed=0; total=0; files=0
counter() { grep -o "<Counters [^>]*" "$2" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" || echo 0; }
shopt -s nullglob
for trx in TestResults/*.trx; do
  files=$((files + 1))
  total=$((total + $(counter total "${trx}")))
  passed=$((passed + $(counter passed "${trx}")))
  failed=$((failed + $(counter failed "${trx}") + $(counter error "${trx}") + $(counter timeout "${trx}") + $(counter aborted "${trx}")))
done
skipped=$((total - passed - failed))

echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"

if [[ ${test_status} -ne 0 || ${failed} -gt 0 ]]; then
  exit 1
fi
if [[ ${files} -eq 0 || ${passed} -eq 0 ]]; then
  echo "No test ran." >&2
  exit 1
fi
