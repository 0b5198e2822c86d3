#!/usr/bin/env bash
# Reports the process's resident memory over 5000 training steps of one run: after the warm-up (step 500), every
# 500 steps, at the end, and the growth from step 500 to step 5000. Target: under 10%.
# Usage: bench/memory-growth.sh [bct|prunnet|resnet]   (default bct: bench/memory.json; prunnet:
# bench/memory-prunnet.json, the multi-capacity step; resnet: bench/memory-resnet.json, the training benchmark's
# model and batch). Builds the CLI if needed. About 5 (bct), 20 (prunnet) and 8 (resnet) minutes on 2 idle cores.
# The allocator the CLI runs on (jemalloc when installed; COMPATLAB_ALLOCATOR=glibc for glibc) is printed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
case "${1:-bct}" in
  bct) config=bench/memory.json; name=bench-memory ;;
  prunnet) config=bench/memory-prunnet.json; name=bench-memory-prunnet ;;
  resnet) config=bench/memory-resnet.json; name=bench-memory-resnet ;;
  *) echo "usage: bench/memory-growth.sh [bct|prunnet|resnet]" >&2; exit 2 ;;
esac
out=bench/out
if [ -n "${MEMORY_OUT:-}" ]; then out=$MEMORY_OUT; fi # two measurements at once need two output folders
# A PrunNet network is cached (with its checkpoints) outside the run folder and --force does not retrain it, so
# the cache goes too: the measurement must train from step 0 in this process.
rm -rf "$out/$name" "$out/.prunnet-models" "$out/.old-models"
mkdir -p "$out"
./compatlab run "$config" --force --set "output=$out" >/dev/null 2>"$out/$name.log"
metrics=$(ls "$out/$name"/*/metrics.jsonl)
# Each stage logs its own <stage>.sys.rss_mb; the new stage's points are the ones measured here.
rss_at() { grep '"key":"new.sys.rss_mb"' "$metrics" | grep "\"step\":$1," | tail -1 | sed 's/.*"value":\([0-9.eE+-]*\).*/\1/'; }
printf 'machine: %s, %s cores; %s\n' "$(uname -m)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf 'command: bench/memory-growth.sh %s (%s); native memory: %s\n' "${1:-bct}" "$config" "$(grep -o '"compatlab.allocator": *"[a-z]*"' "$out/$name"/*/tags.json | sed 's/.*"\([a-z]*\)"$/\1/')"
for step in 100 500 1000 1500 2000 2500 3000 3500 4000 4500 5000; do
  printf 'RSS after %4d steps: %8.1f MB\n' "$step" "$(rss_at $step)"
done
growth=$(awk -v a="$(rss_at 500)" -v b="$(rss_at 5000)" 'BEGIN { printf "%.2f", (b - a) / a * 100 }')
printf 'growth 500 -> 5000:   %8s %%  (target: under 10%%)\n' "$growth"
awk -v g="$growth" 'BEGIN { exit (g < 10 ? 0 : 1) }'
