#!/usr/bin/env bash
# Publishes the native build of the gamesignals CLI (Native AOT, no JIT) for this machine's platform into [out-dir]
# (default out/native) and prints the binary's path. The native build runs replay, generate, demo, similar, ranges
# and push-listener; console and send need the JIT build (dotnet run --project tools/GameSignals.Cli).
# Needs gcc or clang and zlib's headers, as Native AOT does on Linux; a first publish takes a few minutes.
# The publish's output goes to [out-dir]/publish.log: the libraries' trim warnings are known (docs/design.md,
# "A native build of the CLI"), so only their count is printed, on stderr, and the whole log when the publish fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$(realpath -m "${1:-out/native}")"
mkdir -p "$out"
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)"
if ! dotnet publish tools/GameSignals.Cli/GameSignals.Cli.csproj -c Release -r "$rid" -p:PublishAot=true -o "$out" -nologo > "$out/publish.log" 2>&1; then
  cat "$out/publish.log" >&2
  exit 1
fi
echo "native build: $(grep -c 'warning IL' "$out/publish.log" || true) trim and AOT warnings from the libraries ($out/publish.log)" >&2
echo "$out/GameSignals.Cli"
