#!/usr/bin/env bash
# Runs the narrow test network (cnn4 4/4/8/8, synthetic 16x16, batch 8) with oneDNN at its native instruction set and
# every new libtorch block NaN-filled, then capped at AVX2, and prints whether each run ended with finite numbers.
# On CPUs whose oneDNN kernels read memory nobody wrote, the first run ends in NaN (docs/reliability.md).
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/tiny.json" <<'JSON'
{
  "name": "probe", "seed": 3, "threads": 1, "output": "runs",
  "data": {
    "dataset": { "type": "synthetic", "options": { "classes": 4, "trainPerClass": 24, "testPerClass": 6, "size": 16 } },
    "split": { "type": "extended-class", "oldClassFraction": 0.5 }
  },
  "model": { "backbone": { "type": "cnn4", "options": { "widths": [4, 4, 8, 8] } }, "embeddingDim": 8 },
  "old": { "training": { "epochs": 2, "batchSize": 8, "logEvery": 2 } },
  "new": { "loss": { "type": "bct" }, "training": { "epochs": 2, "batchSize": 8, "logEvery": 2 } },
  "tracking": { "trackers": [] }
}
JSON
for isa in native AVX2; do
  (cd "$work" && COMPATLAB_ONEDNN_ISA=$isa COMPATLAB_FRESH_MEMORY=nan timeout 300 "$repo/compatlab" run tiny.json --force > "run-$isa.log" 2>&1)
  status=$?
  table=$(grep -E '^\| run \| bct' "$work/run-$isa.log" || true)
  echo "onednn probe ($isa): exit $status; ${table:-no result table}"
done
