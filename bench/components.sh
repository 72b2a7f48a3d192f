#!/usr/bin/env bash
# Component goals (issue 14): one line per goal, `name: measured (details) (goal ...) PASS` or `FAIL`.
#   bench/components.sh                 every component
#   bench/components.sh iptable ...     the components named
# Each component is a plain measured loop in bench/GameSignals.Benchmarks (Components/ComponentGoals.cs lists them:
# add one there and it runs here). Times are CPU seconds of the measuring process, so a busy machine slows the
# figures less than wall time would. Exit status 1 when a goal fails, 2 for an unknown component.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/GameSignals.Benchmarks/GameSignals.Benchmarks.csproj -c Release -nologo -v q >/dev/null
exec bench/GameSignals.Benchmarks/bin/Release/net10.0/GameSignals.Benchmarks components "$@"
