#!/usr/bin/env bash
# This CPU's attainable float32 peak, and an ImageNet-size training step against Debian's PyTorch (issue #15, item 9):
#   bench/cpu-step.sh [ROUNDS]     (default 2; about 10 minutes on 2 idle cores)
#   environment: GEMM_SIZE=2048, BATCH=32, STEPS=3 (timed steps per run, after one warm-up step)
# Peak: the best rate of a large square float32 matrix product, ours (TorchSharp's libtorch) and Debian's PyTorch,
# 2 threads each; the larger of the two is what the "% of peak" columns divide by, instead of an assumed
# FLOPs-per-cycle figure that is wrong by 2x on Zen 5. Step: resnet50 at 224x224, batch 32, fp32, NCHW, SGD with
# momentum, random data; ours is `compatlab bench gpu-step --device cpu` (torchvision's resnet50 layout plus the
# host's 128-d embedding and a linear classifier), PyTorch's is bench/gpu/torch_steps.py (torchvision's resnet50 with
# a 1000-way fc). The order is reversed every other round; the ratio is judged per round, then the median.
# Writes the section "CPU peak and ImageNet-size step" of bench/results.md (before "Image pipeline"; run-all.sh
# keeps it); raw RESULT lines in bench/out/cpu-step-results.txt. Target: ours / PyTorch >= 1.0.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-2}"
gemm_size="${GEMM_SIZE:-2048}"
batch="${BATCH:-32}"
steps="${STEPS:-3}"
python=/usr/bin/python3
results=bench/out/cpu-step-results.txt
if ! "$python" -c 'import torch, torchvision' 2>/dev/null; then
  echo "cpu-step: Debian's PyTorch is needed: apt-get install -y python3-torch python3-torchvision" >&2
  exit 2
fi
mkdir -p bench/out
./compatlab version >/dev/null # builds the CLI and the bench program now, so no build lands inside a timing
{
  echo "META command=bench/cpu-step.sh $rounds (GEMM_SIZE=$gemm_size BATCH=$batch STEPS=$steps)"
  echo "META date=$(date -u '+%Y-%m-%d %H:%M') UTC"
  echo "META cpu=$(lscpu | sed -n 's/^Model name: *//p'), family $(grep -m1 '^cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' '), $(nproc) cores"
  echo "META cores=$(nproc)"
  echo "META flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -x -E 'avx2|fma|avx512f|avx512_vp2intersect' | sort | tr '\n' ' ')"
  echo "META blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo '?')"
  echo "META pytorch=$("$python" -c 'import torch; print(torch.__version__)')"
  echo "META load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$results"

round=0
tag() { grep '^RESULT' | sed "s/^RESULT /RESULT round=$round /" | tee -a "$results"; }
ours_gemm() { ./compatlab bench gemm --size "$gemm_size" --reps 10 --threads 2 | tag; }
theirs_gemm() { "$python" bench/gpu/torch_steps.py gemm --size "$gemm_size" --reps 10 --threads 2 | tag; }
step_args=(--model resnet50 --batch "$batch" --size 224 --classes 1000 --warmup 1 --steps "$steps" --threads 2)
ours_step() { ./compatlab bench gpu-step --device cpu "${step_args[@]}" | tag; }
theirs_step() { "$python" bench/gpu/torch_steps.py step --device cpu "${step_args[@]}" | tag; }

for ((round = 1; round <= rounds; round++)); do
  runs=(ours_gemm theirs_gemm ours_step theirs_step)
  if ((round % 2 == 0)); then runs=(theirs_gemm ours_gemm theirs_step ours_step); fi
  for run in "${runs[@]}"; do
    echo "cpu-step: round $round: $run" >&2
    $run
  done
done
echo "META load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
"$python" bench/cpu_step_report.py "$results" bench/results.md
sed -n '/^## CPU peak/,/^## Image pipeline/p' bench/results.md | sed '$d'
