#!/usr/bin/env bash
# The image pipeline against PyTorch, side by side (issue #14, "Performance"):
#   bench/images.sh [IMAGES] [ROUNDS]        (defaults 2000 timed images per run, 2 rounds)
#   environment: WORKERS="1 2" (decode workers / DataLoader workers), CACHE_SIDE=256, LIST=bench/out/images/list.csv
# For every worker count and round it runs, one process each: `compatlab bench images` decoding (the image-list
# plugin's ISampleSet.Load, augmenting), the same with the decoded cache on (built once beforehand, so the run
# times cache hits), and bench/reference/images.py (DataLoader + PIL + torchvision); the order is reversed every
# other round. Then one-thread splits of where a worker's time goes (ours and PyTorch's) and the Skia / libvips
# decoder comparison. Prints a markdown table with the medians over rounds and the ratios; every raw RESULT line
# is kept in bench/out/images-results.txt. Targets: ours / PyTorch >= 1.5 with peak RSS no higher; cache / decode >= 5.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
images="${1:-2000}"
rounds="${2:-2}"
workers="${WORKERS:-1 2}"
cache_side="${CACHE_SIDE:-256}"
list="${LIST:-bench/out/images/list.csv}"
results=bench/out/images-results.txt
python=/usr/bin/python3

if [ ! -f "$list" ]; then
  bench/images/make-corpus.sh 3000 "$(dirname "$list")"
fi
mkdir -p bench/out
: >"$results"
echo "# $(date -u '+%Y-%m-%d %H:%M') UTC; $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
echo "# list $list: $(($(wc -l <"$list") - 1)) images; $images timed images per run after 2 warm-up batches; batch 64; cache side $cache_side" | tee -a "$results"

round=0
tag() { grep '^RESULT' | sed "s/^RESULT /RESULT round=$round /" | tee -a "$results"; }
ours() { ./compatlab bench images --list "$list" --images "$images" "$@" | tag; }
theirs() { "$python" bench/reference/images.py --list "$list" --images "$images" "$@" | tag; }

# Builds the bench program (first use) and the decoded cache, untimed; its load time is the cache build.
./compatlab bench images --list "$list" --cache-side "$cache_side" --images 64 --warmup 0 --workers 2 \
  | sed 's/^RESULT impl=compatlab/RESULT impl=compatlab-cache-build/' | grep '^RESULT' | tee -a "$results"

for ((round = 1; round <= rounds; round++)); do
  for w in $workers; do
    runs=("ours --workers $w" "ours --workers $w --cache-side $cache_side" "theirs --workers $w")
    if ((round % 2 == 0)); then runs=("${runs[2]}" "${runs[1]}" "${runs[0]}"); fi
    for run in "${runs[@]}"; do
      $run
    done
  done
done

./compatlab bench images-split --list "$list" --images 300 --cache-side "$cache_side" | grep '^RESULT' | tee -a "$results"
"$python" bench/reference/images.py --list "$list" --split 300 | grep '^RESULT' | tee -a "$results"
./compatlab bench decoders --list "$list" --images 300 --rounds 2 | tee -a "$results"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
"$python" bench/images/table.py "$results"
