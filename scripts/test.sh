#!/usr/bin/env bash
# Runs the whole test suite on CPU: installs missing system packages, builds (the fused engine's native library included),
# fetches MNIST when it is missing (the tests on real data skip, saying so, if no source is reachable)
# and runs xunit. Extra arguments go to 'dotnet test' (e.g. --filter, --logger).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
scripts/setup.sh --tests
scripts/torchloss data fetch mnist >/dev/null || echo "test: MNIST could not be fetched; its tests will be skipped" >&2
scripts/torchloss data fetch digits >/dev/null || echo "test: digits could not be fetched (from Debian's python3-sklearn); its tests will be skipped" >&2
# Build the whole solution first (dotnet test builds only the test project's references, so the benchmarks and
# samples would otherwise go unbuilt), then test what was built.
dotnet build TorchLoss.sln -c Release -v q -nologo
dotnet test TorchLoss.sln -c Release --no-build "$@"
