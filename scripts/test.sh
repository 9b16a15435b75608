#!/usr/bin/env bash
# Runs the whole test suite on CPU: installs missing system packages, builds (the native shim included)
# and runs xunit. Extra arguments go to 'dotnet test' (e.g. --filter, --logger).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
scripts/setup.sh
dotnet test TorchLoss.sln -c Release "$@"
