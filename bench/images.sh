#!/usr/bin/env bash
# The image pipeline against PyTorch, side by side (issue #14, "Performance"):
#   bench/images.sh [IMAGES] [ROUNDS]        (defaults 6000 timed images per run, 3 rounds)
#   environment: WORKERS="1 2" (decode workers / DataLoader workers), CACHE_SIDE=256, LIST=bench/out/images/list.csv,
#   CACHE_IMAGES (timed images of a cache-hit run; default 4 x IMAGES, so that such a run lasts seconds as the others
#   do: at 6000 images one lasted under a second, and the runtime's compilation of hot code in its first second
#   weighed on it as on no other run)
# For every worker count and round it runs, one process each: `compatlab bench images` decoding (the image-list
# plugin's ISampleSet.Load, augmenting), the same with the decoded cache on (built once beforehand, so the run
# times cache hits), bench/reference/images.py (DataLoader + PIL + torchvision), and ours decoding and from the
# cache again with channels-last batches (transforms.channelsLast; shown beside the targets, not as one: PyTorch's
# batches are planar); the order is reversed every other round. Then one-thread splits of where a worker's time goes (ours and PyTorch's) and the Skia / libvips
# decoder comparison. Prints markdown tables with the medians over rounds and the ratios and writes them as the
# section "Image pipeline" at the end of bench/results.md (replacing the previous one; run-all.sh keeps it); every
# raw RESULT line is kept in bench/out/images-results.txt.
# Targets: ours / PyTorch >= 1.5 with peak RSS no higher; cache / decode >= 5.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
images="${1:-6000}"
rounds="${2:-3}"
workers="${WORKERS:-1 2}"
cache_side="${CACHE_SIDE:-256}"
cache_images="${CACHE_IMAGES:-$((images * 4))}"
list="${LIST:-bench/out/images/list.csv}"
results=bench/out/images-results.txt
python=/usr/bin/python3

if [ ! -f "$list" ]; then
  bench/images/make-corpus.sh 3000 "$(dirname "$list")"
fi
mkdir -p bench/out
: >"$results"
started="$(date -u '+%Y-%m-%d %H:%M') UTC"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $started; $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load average before: $load_before" | tee -a "$results"
echo "# list $list: $(($(wc -l <"$list") - 1)) images; $images timed images per run ($cache_images for cache-hit runs) after 2 warm-up batches; batch 64; cache side $cache_side" | tee -a "$results"

round=0
tag() { grep '^RESULT' | sed "s/^RESULT /RESULT round=$round /" | tee -a "$results"; }
ours() { ./compatlab bench images --list "$list" --images "$images" "$@" | tag; }
ours_cache() { ./compatlab bench images --list "$list" --images "$cache_images" "$@" | tag; }
theirs() { "$python" bench/reference/images.py --list "$list" --images "$images" "$@" | tag; }

# Builds the bench program (first use) and the decoded cache afresh, untimed; its load time is the cache build.
rm -rf "$(dirname "$list")/cache"
./compatlab bench images --list "$list" --cache-side "$cache_side" --images 64 --warmup 0 --workers 2 \
  | sed 's/^RESULT impl=compatlab/RESULT impl=compatlab-cache-build/' | grep '^RESULT' | tee -a "$results"

for ((round = 1; round <= rounds; round++)); do
  for w in $workers; do
    runs=("ours --workers $w" "ours_cache --workers $w --cache-side $cache_side" "theirs --workers $w"
      "ours --workers $w --channels-last 1" "ours_cache --workers $w --cache-side $cache_side --channels-last 1")
    if ((round % 2 == 0)); then runs=("${runs[4]}" "${runs[3]}" "${runs[2]}" "${runs[1]}" "${runs[0]}"); fi
    for run in "${runs[@]}"; do
      $run
    done
  done
done

./compatlab bench images-split --list "$list" --images 300 --cache-side "$cache_side" | grep '^RESULT\|^# first pass' | tee -a "$results"
"$python" bench/reference/images.py --list "$list" --split 300 | grep '^RESULT' | tee -a "$results"
./compatlab bench decoders --list "$list" --images 300 --rounds 2 | tee -a "$results"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "# load average after: $load_after" | tee -a "$results"

section=bench/out/images-section.md
version() { sed -n "s/.*Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" Directory.Packages.props; }
{
  echo "## Image pipeline (issue #14)"
  echo
  echo "Written by \`bench/images.sh\` (run-all.sh keeps this section; what the figures mean, and where the time goes:"
  echo "bench/README.md, \"Image pipeline\")."
  echo
  echo "- command: \`WORKERS='$workers' CACHE_SIDE=$cache_side CACHE_IMAGES=$cache_images bench/images.sh $images $rounds\`"
  echo "- date: $started"
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB"
  echo "- versions: .NET SDK $(dotnet --version), TorchSharp $(version TorchSharp), SkiaSharp $(version SkiaSharp)," \
    "NetVips $(version NetVips) with libvips $(version NetVips.Native.linux-x64); $(grep -m1 '^RESULT.*impl=pytorch ' "$results" | grep -o 'torch=.*')"
  echo "- corpus: $(($(wc -l <"$list") - 1)) JPEG tiles of 500x375, quality 90, from bench/images/make-corpus.sh; the training set"
  echo "  (95% of them) is loaded, $images timed images per run ($cache_images for cache-hit runs) after 2 warm-up batches of 64;"
  echo "  cache side $cache_side"
  echo "- load average (1/5/15 min) before: $load_before, after: $load_after"
  echo
  "$python" bench/images/table.py "$results"
} >"$section"
if [ -f bench/results.md ]; then
  sed -i '/^## Image pipeline/,$d' bench/results.md
  sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' bench/results.md # no blank lines left at the end
  printf '\n' >>bench/results.md
fi
cat "$section" >>bench/results.md
cat "$section"
