#!/usr/bin/env bash
# Macro benchmark of replay: generates 1,000,000 events, replays them through the full pipeline
# (every registered capability) and through decode + dead letters + dedupe only (--stages none),
# and prints both throughputs and their ratio. Usage: bench/replay.sh [events] (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-1000000}"
work="$(mktemp -d -t gamesignals-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT

dotnet build tools/GameSignals.Cli/GameSignals.Cli.csproj -c Release -nologo -v q >/dev/null
cli=tools/GameSignals.Cli/bin/Release/net10.0/GameSignals.Cli

"$cli" generate --seed 1 --users 10000 --events "$events" --out "$work/in" 2>/dev/null
"$cli" replay --events "$work/in/events.jsonl" --config "$work/in" --out "$work/full" 2>/dev/null >/dev/null
"$cli" replay --events "$work/in/events.jsonl" --config "$work/in" --out "$work/none" --stages none 2>/dev/null >/dev/null

field() { sed -n "s/^  \"$2\": \\([^,]*\\),\\?\$/\\1/p" "$1/summary.json"; }
full="$(field "$work/full" eventsPerSecond)"
none="$(field "$work/none" eventsPerSecond)"
echo "events:                 $events"
echo "stages (full):          $(tr -d '\n ' < "$work/full/summary.json" | sed -n 's/.*"stages":\(\[[^]]*\]\).*/\1/p')"
echo "full pipeline:          $full events/s (p99 $(sed -n 's/^    "p99": \(.*\),$/\1/p' "$work/full/summary.json") ms, peak $(( $(field "$work/full" peakWorkingSetBytes ) / 1048576 )) MiB)"
echo "decode + dedupe only:   $none events/s (peak $(( $(field "$work/none" peakWorkingSetBytes ) / 1048576 )) MiB)"
awk -v f="$full" -v n="$none" 'BEGIN { printf "full / decode-only:     %.2f\n", f / n }'
