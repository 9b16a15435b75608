#!/usr/bin/env bash
# Installs what TorchLoss needs from Debian's packages, only what is missing: cmake and g++ for the fused
# engine's native library, and fonts-dejavu-core for the text of PNG plots (`plot --out x.png`). TorchSharp and its libtorch 2.10 come from NuGet; Debian's libtorch must not be
# installed for TorchLoss (two libtorch builds in one process crash). With --tests (as scripts/test.sh runs it), also
# slurm-wlm and munge for the one-node Slurm test of `compare --slurm` (tests/TorchLoss.Tests/Reliability/SlurmCluster.cs);
# without recommends they are slurmctld, slurmd, slurm-client and their basic plugins, and munge's install creates
# /etc/munge/munge.key.
set -euo pipefail

packages=(cmake g++ fonts-dejavu-core)
if [[ "${1:-}" == "--tests" ]]; then packages+=(slurm-wlm munge); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [[ $(id -u) -eq 0 ]]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1
fi
