#!/usr/bin/env bash
# Checks that docs/quickstart.md shows the table the quickstart prints on this build: runs the quickstart in a
# scratch folder (about ten minutes on two cores), then compares the printed table (summary.md) with the
# document's, row by row. Exit 0: the document is current; 1: a row differs (each is named); 2: bad input.
# Usage: .ci/check-quickstart.sh [DOC] [EXPERIMENT]   (defaults: docs/quickstart.md experiments/quickstart.json)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
doc=$(realpath "${1:-$repo/docs/quickstart.md}")
experiment=$(realpath "${2:-$repo/experiments/quickstart.json}")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if ! (cd "$scratch" && "$repo/compatlab" run "$experiment" >/dev/null 2>"$scratch/run.log"); then
  cat "$scratch/run.log" >&2
  echo "check-quickstart: the run failed; nothing to compare" >&2
  exit 1
fi
# Only this experiment ran in the scratch folder, so its summary is the only one: runs/<name>/summary.md.
summary=$(ls "$scratch"/runs/*/summary.md)
"$repo/compatlab" results check "$doc" "$summary"
