#!/usr/bin/env bash
# Reports the process's resident memory after 200 and after 2000 training steps of one run, and the growth.
# Usage: bench/memory-growth.sh   (builds the CLI if needed; about 3-4 minutes on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rm -rf bench/out/bench-memory
mkdir -p bench/out
./compatlab run bench/memory.json --force >/dev/null 2>bench/out/memory-run.log
metrics=$(ls bench/out/bench-memory/*/metrics.jsonl)
rss_at() { grep '"key":"sys.rss_mb"' "$metrics" | grep "\"step\":$1," | tail -1 | sed 's/.*"value":\([0-9.eE+-]*\).*/\1/'; }
# The old stage logs at step 50 too; take the new stage's points (the last ones logged at these steps).
at200=$(rss_at 200)
at2000=$(rss_at 2000)
growth=$(awk -v a="$at200" -v b="$at2000" 'BEGIN { printf "%.2f", (b - a) / a * 100 }')
printf 'machine: %s, %s cores; %s\n' "$(uname -m)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf 'RSS after 200 steps:  %8.1f MB\n' "$at200"
printf 'RSS after 2000 steps: %8.1f MB\n' "$at2000"
printf 'growth:               %8s %%  (target: under 10%%)\n' "$growth"
awk -v g="$growth" 'BEGIN { exit (g < 10 ? 0 : 1) }'
