#!/usr/bin/env bash
# Sourced, not run: starts the local stand-ins for Azure services (Azurite for Storage, the Cosmos DB stand-in)
# on free loopback ports for tests/run.sh and bench/cosmos-cost.sh, and exports the endpoints the integration
# tests' fixture and the benchmarks read: AZURITE_BLOB_ENDPOINT, AZURITE_QUEUE_ENDPOINT, COSMOS_ENDPOINT.
# Installs their npm packages first when missing or older than package-lock.json.
# Usage (from the repository root):  source tests/local-services.sh; start_local_services; ...; stop_local_services
# start_local_services sets an EXIT trap that stops them (and removes their logs) if the caller does not.

local_services_pids=()
local_services_logs=""

# A free loopback port, so the run never collides with services already listening.
local_services_free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});"
}

# Waits until something accepts TCP connections on 127.0.0.1:$1 (at most 30 s).
local_services_wait_for_port() {
  local port=$1 name=$2
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "${name} did not answer on port ${port}; its log:" >&2
  cat "${local_services_logs}/${name}.log" >&2 || true
  return 1
}

stop_local_services() {
  local pid
  for pid in "${local_services_pids[@]}"; do
    kill "${pid}" 2>/dev/null || true
  done
  for pid in "${local_services_pids[@]}"; do
    wait "${pid}" 2>/dev/null || true
  done
  local_services_pids=()
  if [[ -n "${local_services_logs}" ]]; then
    rm -rf "${local_services_logs}"
    local_services_logs=""
  fi
}

start_local_services() {
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund
  fi

  local_services_logs=$(mktemp -d)
  trap stop_local_services EXIT
  local blob_port queue_port table_port cosmos_port
  blob_port=$(local_services_free_port); queue_port=$(local_services_free_port)
  table_port=$(local_services_free_port); cosmos_port=$(local_services_free_port)

  node node_modules/azurite/dist/src/azurite.js \
    --skipApiVersionCheck --loose --disableTelemetry --inMemoryPersistence \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "${blob_port}" --queuePort "${queue_port}" --tablePort "${table_port}" \
    >"${local_services_logs}/azurite.log" 2>&1 &
  local_services_pids+=($!)

  # The Cosmos DB stand-in behind its test-only wrapper (see the script's header).
  node tests/GameSignals.Integration.Tests/cosmos-standin.js --port "${cosmos_port}" --host 127.0.0.1 \
    >"${local_services_logs}/cosmos.log" 2>&1 &
  local_services_pids+=($!)

  local_services_wait_for_port "${blob_port}" azurite
  local_services_wait_for_port "${queue_port}" azurite
  local_services_wait_for_port "${cosmos_port}" cosmos

  export AZURITE_BLOB_ENDPOINT="http://127.0.0.1:${blob_port}/devstoreaccount1"
  export AZURITE_QUEUE_ENDPOINT="http://127.0.0.1:${queue_port}/devstoreaccount1"
  export COSMOS_ENDPOINT="https://127.0.0.1:${cosmos_port}/"
}
