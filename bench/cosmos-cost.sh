#!/usr/bin/env bash
# Cosmos DB cost per event (issue 15). Generates a stream, starts Azurite and the Cosmos DB stand-in (as tests/run.sh
# does, through tests/local-services.sh), runs the stream through the function app's own composition in batches of the
# production size (host.json's maxEventBatchSize) over 32 partitions per hub, counts the document requests the Cosmos
# client sends (a request handler on the client), and prints reads and writes per container and, last,
# `requests per event: X` (document requests over the stream's lines).
# Usage: [USERS=N] bench/cosmos-cost.sh [events] (default 50,000 events, events/75 players). Needs the .NET SDK and Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-50000}"
# Players as dense as in the issue's measured mix (6,000 players for 451,693 lines: 75 lines a player), so sessions,
# logins and purchases come in the proportions of a live game rather than one first login per player.
users="${USERS:-$((events / 75))}"
partitions=32
batch_size="$(sed -n 's/^ *"maxEventBatchSize": *\([0-9]*\).*/\1/p' host.json)"
work="$(mktemp -d -t gamesignals-cosmos-cost-XXXXXX)"

dotnet build tools/GameSignals.Cli/GameSignals.Cli.csproj -c Release -nologo -v q >/dev/null
dotnet build bench/GameSignals.CosmosCost/GameSignals.CosmosCost.csproj -c Release -nologo -v q >/dev/null
tools/GameSignals.Cli/bin/Release/net10.0/GameSignals.Cli generate --seed 1 --users "$users" --events "$events" --out "$work" >/dev/null 2>&1

source tests/local-services.sh
start_local_services
trap 'stop_local_services; rm -rf "$work"' EXIT

# The stand-in's certificate is self-signed; the Cosmos client accepts it for the local emulator only.
bench/GameSignals.CosmosCost/bin/Release/net10.0/GameSignals.CosmosCost "$work" "$batch_size" "$partitions" "$COSMOS_ENDPOINT" \
  "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=${AZURITE_BLOB_ENDPOINT};QueueEndpoint=${AZURITE_QUEUE_ENDPOINT};"
