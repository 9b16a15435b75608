#!/usr/bin/env bash
# What oneMKL's reproducible mode costs: `torchloss bench` with MKL_CBWR unset (TorchLoss then sets AUTO) against
# MKL_CBWR= (empty: oneMKL's default, off), in alternating rounds, then the median of the per-round ratios of steps/s
# for each setting and batch. Usage: benchmarks/mkl-reproducibility/cost.sh [ROUNDS] (default 5; about 2 minutes a round).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
out="$(mktemp -d)"
bench=(scripts/torchloss bench --device cpu --threads 2x1,1x1 --batches 32,128,1024 --steps 100 --repetitions 3 --json)
for ((round = 1; round <= rounds; round++)); do
  echo "round $round of $rounds" >&2
  env -u MKL_CBWR "${bench[@]}" > "$out/auto-$round.json"
  MKL_CBWR= "${bench[@]}" > "$out/off-$round.json"
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
folder, rounds = sys.argv[1], int(sys.argv[2])
ratios, processor = {}, None
for r in range(1, rounds + 1):
    auto, off = (json.load(open(f"{folder}/{side}-{r}.json")) for side in ("auto", "off"))
    assert (auto["blas_reproducibility"], off["blas_reproducibility"]) == ("AUTO", "off"), "the two sides did not run in the two modes"
    processor = auto["processor"]
    for a, o in zip(auto["settings"], off["settings"]):
        for ta, to in zip(a["throughput"], o["throughput"]):
            ratios.setdefault((a["setting"], ta["batch"]), []).append(ta["steps_per_second"]["median"] / to["steps_per_second"]["median"])
print(f"{processor}: steps/s with MKL_CBWR=AUTO over without, median of {rounds} alternating rounds (range)")
for (setting, batch), values in ratios.items():
    print(f"  {setting:34} batch {batch:5}  {statistics.median(values):.3f}  ({min(values):.3f}-{max(values):.3f})")
PY
