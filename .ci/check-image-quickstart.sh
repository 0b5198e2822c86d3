#!/usr/bin/env bash
# Checks that docs/image-quickstart.md shows the table the image quickstart prints on this build: writes
# Fashion-MNIST as PNG files with an open-set list (100 images per class and split), runs
# experiments/image-quickstart.json on them in a scratch folder (a few minutes on two cores), then compares the
# printed table with the document's. Exit 0: the document is current; 1: a row differs (each is named).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cd "$scratch"
"$repo/compatlab" data export-images --dataset fashion-mnist --out data/fm-images --limit-per-class 100 >/dev/null
if ! "$repo/compatlab" run "$repo/experiments/image-quickstart.json" >/dev/null 2>run.log; then
  cat run.log >&2
  echo "check-image-quickstart: the run failed; nothing to compare" >&2
  exit 1
fi
"$repo/compatlab" results check "$repo/docs/image-quickstart.md" runs/image-quickstart/summary.md
