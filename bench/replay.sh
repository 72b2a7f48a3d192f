#!/usr/bin/env bash
# Macro benchmarks of replay.
# Both run the CLI's native build (tools/publish-native.sh), the one for long replays; with --jit first, the JIT build.
#   bench/replay.sh [--jit] [events]  generates [events] (default 1,000,000) events, replays them through the
#                                     full pipeline (every registered capability) and through decode + dead
#                                     letters + dedupe only (--stages none), and prints both throughputs, then
#                                     the parse floor (one JsonDocument.Parse per line of the same file, one
#                                     thread) and the full replay's elapsed time against it (issue 15: at most 3x).
#   bench/replay.sh [--jit] --scale [small] [large]
#                                     generates two streams (default 1,000,000 and 10,000,000 events) of the
#                                     same seed and players, replays small, large, then small again (the
#                                     machine may be shared: two small runs frame the large one), and prints
#                                     each run's events/s, CPU time per event and peak working set, and the
#                                     large run's figures relative to the mean of the small runs. CPU time
#                                     per event is the fair measure where other work shares the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d -t gamesignals-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT

if [[ "${1:-}" == "--jit" ]]; then
  shift
  dotnet build tools/GameSignals.Cli/GameSignals.Cli.csproj -c Release -nologo -v q >/dev/null
  cli=tools/GameSignals.Cli/bin/Release/net10.0/GameSignals.Cli
  echo "build:                  JIT"
else
  cli="$(bash tools/publish-native.sh 2>/dev/null)"
  echo "build:                  native"
fi

field() { sed -n "s/^  \"$2\": \\([^,]*\\),\\?\$/\\1/p" "$1/summary.json"; }
nested() { sed -n "s/^    \"$2\": \\([^,]*\\),\\?\$/\\1/p" "$1/summary.json"; } # a field of summary.json's cpu or memory
cpu_per_event() { awk -v c="$(nested "$1" processSeconds)" -v e="$(field "$1" events)" 'BEGIN { printf "%.2f", c * 1e6 / e }'; }
peak_mib() { echo $(( $(field "$1" peakWorkingSetBytes) / 1048576 )); }
generate() { "$cli" generate --seed 1 --users 10000 --events "$1" --out "$2" 2>/dev/null >/dev/null; }
replay() { "$cli" replay --events "$1/events.jsonl" --config "$1" --out "$2" "${@:3}" 2>/dev/null >/dev/null; }

if [[ "${1:-}" == "--scale" ]]; then
  small="${2:-1000000}"
  large="${3:-10000000}"
  generate "$small" "$work/small-in"
  generate "$large" "$work/large-in"
  for run in small-1:small-in large:large-in small-2:small-in; do
    name="${run%%:*}"
    replay "$work/${run#*:}" "$work/$name"
    cpu_per_event "$work/$name" > "$work/$name/cpu"
    printf '%-8s %9s events  %9ss  %8s events/s  %6s µs CPU/event (JIT %ss)  peak %5s MiB\n' "$name" "$(field "$work/$name" events)" \
      "$(field "$work/$name" elapsedSeconds)" "$(field "$work/$name" eventsPerSecond)" "$(cat "$work/$name/cpu")" \
      "$(nested "$work/$name" jitSeconds)" "$(peak_mib "$work/$name")"
  done
  awk -v a="$(field "$work/small-1" eventsPerSecond)" -v b="$(field "$work/small-2" eventsPerSecond)" -v l="$(field "$work/large" eventsPerSecond)" \
    -v ca="$(cat "$work/small-1/cpu")" -v cb="$(cat "$work/small-2/cpu")" -v cl="$(cat "$work/large/cpu")" \
    'BEGIN { printf "large / small: events/s %.2f, CPU per event %.2f\n", l / ((a + b) / 2), cl / ((ca + cb) / 2) }'
  exit 0
fi

events="${1:-1000000}"
generate "$events" "$work/in"
replay "$work/in" "$work/full"
replay "$work/in" "$work/none" --stages none
dotnet build bench/GameSignals.Benchmarks/GameSignals.Benchmarks.csproj -c Release -nologo -v q >/dev/null
floor="$(bench/GameSignals.Benchmarks/bin/Release/net10.0/GameSignals.Benchmarks parse-floor "$work/in/events.jsonl")"

full="$(field "$work/full" eventsPerSecond)"
none="$(field "$work/none" eventsPerSecond)"
echo "events:                 $events"
echo "stages (full):          $(tr -d '\n ' < "$work/full/summary.json" | sed -n 's/.*"stages":\(\[[^]]*\]\).*/\1/p')"
echo "full pipeline:          $full events/s, $(cpu_per_event "$work/full") µs CPU/event of which JIT $(nested "$work/full" jitSeconds) s (p99 $(sed -n 's/^    "p99": \(.*\),$/\1/p' "$work/full/summary.json") ms, peak $(peak_mib "$work/full") MiB)"
echo "decode + dedupe only:   $none events/s (peak $(peak_mib "$work/none") MiB)"
awk -v f="$full" -v n="$none" 'BEGIN { printf "full / decode-only:     %.2f\n", f / n }'
echo "parse floor:            $floor (one JsonDocument.Parse per line, one thread)"
awk -v e="$(field "$work/full" elapsedSeconds)" -v p="${floor%% s,*}" 'BEGIN { printf "full / parse floor:     %.1fx the time (goal at most 3x)\n", e / p }'
