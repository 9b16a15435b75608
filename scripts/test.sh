#!/usr/bin/env bash
# Runs the whole test suite on CPU: installs missing system packages, builds (the fused engine's native library included),
# fetches MNIST when it is missing (the tests on real data skip, saying so, if no source is reachable)
# and runs xunit. Extra arguments go to 'dotnet test' (e.g. --filter, --logger).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
scripts/setup.sh
scripts/torchloss data fetch mnist >/dev/null || echo "test: MNIST could not be fetched; its tests will be skipped" >&2
dotnet test TorchLoss.sln -c Release "$@"
