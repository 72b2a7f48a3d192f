#!/usr/bin/env bash
# Publishes the native build of the gamesignals CLI (Native AOT, no JIT) for this machine's platform into [out-dir]
# (default out/native) and prints the binary's path. The native build runs replay, generate, demo, similar, ranges
# and push-listener; console and send need the JIT build (dotnet run --project tools/GameSignals.Cli).
# Needs gcc or clang and zlib's headers, as Native AOT does on Linux; a first publish takes a few minutes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$(realpath -m "${1:-out/native}")"
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)"
dotnet publish tools/GameSignals.Cli/GameSignals.Cli.csproj -c Release -r "$rid" -p:PublishAot=true -o "$out" -nologo -v q >&2
echo "$out/GameSignals.Cli"
