#!/usr/bin/env bash
# Runs every benchmark against its PyTorch reference, side by side in one run, and writes bench/results.md.
# Usage: bench/run-all.sh   (needs /usr/bin/python3 with python3-torch; builds the CLI if needed; about 8
# minutes on 2 idle cores). Environment: EVAL_SIZES (default "10000"; "10000 50000" adds about 15 minutes), TRAIN_WARMUP (10), TRAIN_STEPS (100), TRAIN_ROUNDS (5).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py=/usr/bin/python3
if ! "$py" -c 'import torch' 2>/dev/null; then
  echo "run-all: PyTorch for /usr/bin/python3 is needed: apt-get install -y python3-torch" >&2
  exit 2
fi
out=bench/out/run-all
rm -rf "$out"
mkdir -p "$out"
results="$out/results.txt"
: >"$results"
meta() { printf 'META %s=%s\n' "$1" "$2" >>"$results"; }
warmup=${TRAIN_WARMUP:-10}
steps=${TRAIN_STEPS:-100}

./compatlab version >/dev/null # builds the CLI now, so no build lands inside a timing
meta command "bench/run-all.sh (EVAL_SIZES='${EVAL_SIZES:-10000}' TRAIN_WARMUP=$warmup TRAIN_STEPS=$steps)"
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
meta cores "$(nproc)"
meta mhz_max "$(lscpu | sed -n 's/^CPU max MHz: *//p')"
meta mhz_now "$(grep -m1 'cpu MHz' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')"
meta flags "$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -x -E 'avx2|fma|avx512f' | sort | tr '\n' ' ')"
meta memory "$(free -g | awk '/^Mem:/ { print $2 " GB" }')"
meta dotnet "$(dotnet --version)"
meta torchsharp "$(sed -n 's/.*"TorchSharp" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)"
meta pytorch "$("$py" -c 'import torch; print(torch.__version__)')"
meta allocator "$(./compatlab version | sed -n 's/.*native memory: \([a-z]*\).*/\1/p')"
meta load_before "$(cut -d' ' -f1-3 /proc/loadavg)"

# Runs one benchmark under /usr/bin/time and appends its RESULT line, its label and the process's peak RSS.
measure() {
  local label=$1
  shift
  echo "run-all: $label" >&2
  /usr/bin/time -f '%M' -o "$out/$label.rss" "$@" >"$out/$label.txt" 2>"$out/$label.err"
  printf '%s label=%s maxrss_kb=%s\n' "$(grep '^RESULT' "$out/$label.txt" | tail -1)" "$label" "$(tail -1 "$out/$label.rss")" >>"$results"
}

for n in ${EVAL_SIZES:-10000}; do
  repeats=$([ "$n" -le 20000 ] && echo 3 || echo 1)
  measure "eval-$n-ours" ./compatlab bench eval --n "$n" --dim 128 --seed 1 --repeats "$repeats" --folder "$out/eval-$n"
  measure "eval-$n-pytorch" "$py" bench/reference/eval_map.py "$out/eval-$n" --repeats "$repeats"
done

# This CPU's attainable float32 peak (a large matrix product, ours and PyTorch's): the "% of peak" divides by it.
measure gemm-ours ./compatlab bench gemm --size 2048 --reps 10 --threads 2
measure gemm-pytorch "$py" bench/gpu/torch_steps.py gemm --size 2048 --reps 10 --threads 2

# Training: every implementation once per round, the order reversed in every other round, so a slow spell of the
# machine does not land on one implementation only; the report takes each implementation's fastest round.
rounds=${TRAIN_ROUNDS:-5}
meta train_rounds "$rounds"
train_bare() { measure "train-$1-bare-r$2" ./compatlab bench train --backbone "$1" --warmup "$warmup" --steps "$steps"; }
train_pytorch() { measure "train-$1-pytorch-r$2" "$py" bench/reference/train_step.py --backbone "$1" --warmup "$warmup" --steps "$steps"; }
train_pipeline() {
  # The pipeline logs images_per_second every `warmup` steps; the report uses the windows after the first. Epochs
  # are not a limit (maxSteps is), so epoch ends with their reshuffle and checkpoint fall inside the timed windows.
  rm -rf bench/out/bench-train bench/out/.old-models # the runner would reuse a cached old model and skip its training
  echo "RESULT impl=pipeline backbone=$1" >"$out/train-$1-pipeline-r$2.result"
  measure "train-$1-pipeline-r$2" bash -c "./compatlab run bench/train-pipeline.json --force --set model.backbone.type=$1 \
    --set old.training.epochs=1000 --set old.training.maxSteps=$((warmup + steps)) --set old.training.logEvery=$warmup >/dev/null && cat '$out/train-$1-pipeline-r$2.result'"
  cp bench/out/bench-train/*/metrics.jsonl "$out/train-$1-pipeline-r$2.metrics.jsonl"
}
for backbone in cnn4 resnet-mini; do
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then order="bare pytorch pipeline"; else order="pipeline pytorch bare"; fi
    for impl in $order; do "train_$impl" "$backbone" "$round"; done
  done
done

meta load_after "$(cut -d' ' -f1-3 /proc/loadavg)"
images_section="$(sed -n '/^## \(Data wait\|Streamed evaluation\|CPU peak\|Image pipeline\)/,$p' bench/results.md 2>/dev/null || true)" # the per-issue scripts' sections (section.py puts them last), kept
"$py" bench/report.py "$results" "$out" >bench/results.md
if [ -n "$images_section" ]; then printf '\n%s\n' "$images_section" >>bench/results.md; fi
cat bench/results.md
