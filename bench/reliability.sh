#!/usr/bin/env bash
# Reliability proof at scale (issue 9). Generates a stream, replays it fault-free as the reference, then under
# each failure scenario, and compares every output file (notifications, flags, dead letters, profiles) line by
# line after sorting: effects expected, seen, lost (in the reference only) and extra (in the scenario only: a
# duplicate or a changed effect). Both must be 0. Also prints what was injected and the at-least-once messages.
# Usage: bench/reliability.sh [events] [crash-every] (defaults 200000 and 10). Needs the .NET SDK and Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-200000}"
every="${2:-10}"
work="$(mktemp -d -t gamesignals-reliability-XXXXXX)"
trap 'rm -rf "$work"' EXIT

dotnet build tools/GameSignals.Cli/GameSignals.Cli.csproj -c Release -nologo -v q >/dev/null
cli=tools/GameSignals.Cli/bin/Release/net10.0/GameSignals.Cli
"$cli" generate --seed 1 --users 10000 --events "$events" --out "$work/in" >/dev/null 2>&1

replay() { local name="$1"; shift; "$cli" replay --events "$work/in/events.jsonl" --config "$work/in" --out "$work/$name" "$@" >/dev/null 2>&1; }

# One line of figures from a summary, read with Node (JSON without jq).
figures() {
  node -e '
    const s = require(process.argv[1]), r = s.reliability, f = r.faultsInjected;
    const faults = Object.values(f).reduce((a, b) => a + b, 0);
    const m = (x) => `${x.covered}/${x.expected} (${x.sent} sent)`;
    console.log(`${s.events} events, ${Math.round(s.eventsPerSecond)} ev/s, peak ${Math.round(s.peakWorkingSetBytes / 1048576)} MiB, ` +
      `faults ${faults} [${Object.entries(f).map(([k, v]) => k + " " + v).join(", ")}], crashes ${r.crashes}, ` +
      `redeliveries ${r.redeliveries}, push ${m(r.pushRequests)}, actions ${m(r.fraudActions)}`);' "$1/summary.json"
}

compare() {
  local expected=0 seen=0 lost=0 extra=0 file
  for file in notifications flags deadletter profiles; do
    sort "$work/reference/$file.jsonl" > "$work/a"
    sort "$work/$1/$file.jsonl" > "$work/b"
    expected=$((expected + $(wc -l < "$work/a")))
    seen=$((seen + $(wc -l < "$work/b")))
    lost=$((lost + $(comm -23 "$work/a" "$work/b" | wc -l)))
    extra=$((extra + $(comm -13 "$work/a" "$work/b" | wc -l)))
  done
  echo "  effects: expected $expected, seen $seen, lost $lost, extra $extra"
  [ "$lost" -eq 0 ] && [ "$extra" -eq 0 ]
}

replay reference
echo "reference:  $(figures "$work/reference")"
status=0
while IFS='|' read -r name options; do
  # shellcheck disable=SC2086 # the options are words
  replay "$name" $options
  echo "$name ($options):"
  echo "  $(figures "$work/$name")"
  compare "$name" || status=1
done <<SCENARIOS
faults|--fault-rate 0.05
crashes|--crash-every $every
crashes-held-back|--crash-every $every --order held-back --held-back-partition 2
faults-crashes-held-back|--fault-rate 0.05 --crash-every $every --order held-back --held-back-partition 1
SCENARIOS
exit $status
