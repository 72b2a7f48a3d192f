#!/usr/bin/env bash
# The test command: everything a fresh clone needs to run every test of the solution.
# Installs the npm packages of the local stand-ins for Azure services (Azurite, the Cosmos DB stand-in)
# when they are missing or older than package-lock.json, starts both on free loopback ports, runs
# `dotnet test Functions.sln -c Release`, stops them, and prints "Tests: N passed, N failed, N skipped".
# Exits non-zero when a test fails, the run fails, or no test ran.
# Usage: bash tests/run.sh [extra dotnet test arguments, e.g. --filter "FullyQualifiedName~Fraud"]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

# A free loopback port, so the run never collides with services already listening.
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});"
}

logs=$(mktemp -d)
pids=()
stop_services() {
  local pid
  for pid in "${pids[@]}"; do
    kill "${pid}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "${pid}" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_services; rm -rf "${logs}"' EXIT

# Waits until something accepts TCP connections on 127.0.0.1:$1 (at most 30 s).
wait_for_port() {
  local port=$1 name=$2
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "${name} did not answer on port ${port}; its log:" >&2
  cat "${logs}/${name}.log" >&2 || true
  return 1
}

blob_port=$(free_port); queue_port=$(free_port); table_port=$(free_port); cosmos_port=$(free_port)

node node_modules/azurite/dist/src/azurite.js \
  --skipApiVersionCheck --loose --disableTelemetry --inMemoryPersistence \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "${blob_port}" --queuePort "${queue_port}" --tablePort "${table_port}" \
  >"${logs}/azurite.log" 2>&1 &
pids+=($!)

# The Cosmos DB stand-in behind its test-only wrapper (see the script's header).
node tests/GameSignals.Integration.Tests/cosmos-standin.js --port "${cosmos_port}" --host 127.0.0.1 \
  >"${logs}/cosmos.log" 2>&1 &
pids+=($!)

wait_for_port "${blob_port}" azurite
wait_for_port "${queue_port}" azurite
wait_for_port "${cosmos_port}" cosmos

# The integration tests' fixture uses these running services instead of starting its own.
export AZURITE_BLOB_ENDPOINT="http://127.0.0.1:${blob_port}/devstoreaccount1"
export AZURITE_QUEUE_ENDPOINT="http://127.0.0.1:${queue_port}/devstoreaccount1"
export COSMOS_ENDPOINT="https://127.0.0.1:${cosmos_port}/"

rm -rf TestResults
set +e
dotnet test Functions.sln -c Release --logger trx --results-directory TestResults "$@"
test_status=$?
set -e

stop_services

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
