#!/usr/bin/env bash
# The data-wait figure of issue #14 (Performance): the share of each training stage's step time spent waiting for
# the next batch in experiments/image-quickstart.json (cnn4, 28x28 PNGs, 2 decode workers), with the default
# prefetch (2) and with prefetch 0 (every batch loaded inline) for comparison, after each stage's first batch and
# with it (the stages' summary lines give both). Runs the quickstart twice in a scratch
# folder (as .ci/check-image-quickstart.sh does) and writes the section "Data wait" of bench/results.md from the
# stages' summary lines; the logs go to bench/out/data-wait/. Target: <= 5% with the default prefetch. About 6
# minutes on 2 idle cores.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
logs="$repo/bench/out/data-wait"
rm -rf "$logs"
mkdir -p "$logs"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
started="$(date -u '+%Y-%m-%d %H:%M') UTC"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
cd "$scratch"
"$repo/compatlab" data export-images --dataset fashion-mnist --out data/fm-images --limit-per-class 100 >/dev/null
"$repo/compatlab" run "$repo/experiments/image-quickstart.json" >"$logs/prefetch-2.log" 2>&1
"$repo/compatlab" run "$repo/experiments/image-quickstart.json" --set data.loader.prefetch=0 --force >"$logs/prefetch-0.log" 2>&1
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
cd "$repo"
# "<stage>: N steps in X s, R img/s, data wait P % of step time after the first batch (first batch F ms, Q % with
# it; prefetch K)" -> | stage | steps, time, rate | P | F | Q |
rows() {
  grep -h 'data wait .* of step time after the first batch' "$logs/$1" | sed -E 's/^[[:space:]]*//;
    s/^(.*): ([0-9]+ steps in [^,]+, [^,]+), data wait ([0-9.]+ ?%) of step time after the first batch \(first batch ([0-9]+ ms), ([0-9.]+ ?%) with it.*/| \1 | \2 | \3 | \4 | \5 |/'
}
worst="$(grep -h 'data wait .*prefetch 2)' "$logs/prefetch-2.log" | sed -E 's/.*data wait ([0-9.]+) ?%.*/\1/' | sort -g | tail -1)"
verdict="$(awk -v w="${worst:-100}" 'BEGIN { print (w <= 5 ? "met" : "missed") }')"
{
  echo "## Data wait in the image quickstart (issue #14)"
  echo
  echo "Written by \`bench/data-wait.sh\` (what the share means: docs/datasets.md, \"Data wait\")."
  echo
  echo "- command: \`bench/data-wait.sh\` (experiments/image-quickstart.json in a scratch folder, then again with \`--set data.loader.prefetch=0 --force\`)"
  echo "- date: $started"
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB"
  echo "- load average (1/5/15 min) before: $load_before, after: $load_after"
  echo "- largest data wait with the default prefetch (2), after each stage's first batch: ${worst:-?} % of step time (target"
  echo "  <= 5 %: **$verdict**). The first batch is apart: no step can hide its load, and in the process's first stage"
  echo "  (old) it carries the loading code's start-up; the last column is the share with it."
  echo
  echo "| stage, prefetch 2 (default) | steps, time, rate | data wait after the first batch | first batch | data wait with it |"
  echo "|---|---|---|---|---|"
  rows prefetch-2.log
  echo
  echo "| stage, prefetch 0 (inline loads) | steps, time, rate | data wait after the first batch | first batch | data wait with it |"
  echo "|---|---|---|---|---|"
  rows prefetch-0.log
} | tee /dev/stderr | /usr/bin/python3 bench/section.py bench/results.md
