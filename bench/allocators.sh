#!/usr/bin/env bash
# Training throughput and peak memory of the bare TorchSharp loop and the PyTorch reference on glibc and on
# jemalloc, side by side: ROUNDS rounds (default 3), every combination once per round, the order reversed in
# every other round. Shows what the allocator choice (docs/architecture.md, "Native memory") is worth, and that
# PyTorch given the same allocator is compared fairly. Needs /usr/bin/python3 with python3-torch and libjemalloc2.
# Usage: bench/allocators.sh [ROUNDS]   (about 5 minutes with 3 rounds on 2 idle cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds=${1:-3}
lib=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [ ! -f "$lib" ] || ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "allocators: needs $lib (apt-get install -y libjemalloc2) and /usr/bin/python3 with python3-torch" >&2
  exit 2
fi
conf="dirty_decay_ms:-1,muzzy_decay_ms:-1" # the CLI's own default (Jemalloc.DefaultConfiguration)
./compatlab version >/dev/null             # builds the CLI now, so no build lands inside a timing
out=bench/out/allocators
rm -rf "$out"
mkdir -p "$out"
one() { # backbone implementation allocator round
  local command
  case $2 in
    torchsharp) command=(./compatlab bench train --backbone "$1" --warmup 10 --steps 100) ;;
    pytorch) command=(/usr/bin/python3 bench/reference/train_step.py --backbone "$1" --warmup 10 --steps 100) ;;
  esac
  local environment=(COMPATLAB_ALLOCATOR=glibc)
  if [ "$3" = jemalloc ]; then
    environment=(COMPATLAB_ALLOCATOR="$lib")
    [ "$2" = pytorch ] && environment=(LD_PRELOAD="$lib" MALLOC_CONF="$conf")
  fi
  env "${environment[@]}" /usr/bin/time -f '%M' -o "$out/rss" "${command[@]}" >"$out/line" 2>/dev/null
  printf '%s %s %s %s %s %s\n' "$1" "$2" "$3" "$4" "$(grep -o 'images_per_second=[0-9.]*' "$out/line" | cut -d= -f2)" "$(($(tail -1 "$out/rss") / 1024))" >>"$out/results.txt"
}
printf 'machine: %s, %s cores; %s; load before: %s\n' "$(uname -m)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(cut -d' ' -f1-3 /proc/loadavg)"
for backbone in cnn4 resnet-mini; do
  for round in $(seq 1 "$rounds"); do
    combos="torchsharp:jemalloc torchsharp:glibc pytorch:glibc pytorch:jemalloc"
    [ $((round % 2)) -eq 0 ] && combos="pytorch:jemalloc pytorch:glibc torchsharp:glibc torchsharp:jemalloc"
    for combo in $combos; do one "$backbone" "${combo%%:*}" "${combo##*:}" "$round"; done
  done
done
/usr/bin/python3 - "$out/results.txt" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
print("| backbone | implementation | allocator | images/s (median; every round) | peak RSS MB (lowest-highest) |")
print("|---|---|---|---|---|")
for backbone in ["cnn4", "resnet-mini"]:
    for impl in ["torchsharp", "pytorch"]:
        for alloc in ["jemalloc", "glibc"]:
            mine = [r for r in rows if r[:3] == [backbone, impl, alloc]]
            rates, rss = [float(r[4]) for r in mine], sorted(int(r[5]) for r in mine)
            name = "bare TorchSharp (compatlab bench train)" if impl == "torchsharp" else "PyTorch reference"
            print(f"| {backbone} | {name} | {alloc} | {statistics.median(rates):.0f}; {', '.join(f'{r:.0f}' for r in rates)} | {rss[0]}-{rss[-1]} |")
PY
