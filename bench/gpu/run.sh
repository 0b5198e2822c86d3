#!/usr/bin/env bash
# The GPU check, in one go (under 7 minutes), on a machine with PyTorch and no .NET: unpacks .gpu/cli.tar.xz
# (bench/gpu/pack.sh), then: compatlab doctor; the GPU self-test (the GPU test category's checks); a quick run on
# the device; training-step timings, fp32 NCHW and bf16 channels-last, beside PyTorch eager (torch_steps.py);
# exact top-100 search of 10,000 queries over 1,000,000 gallery embeddings, beside PyTorch. Everything goes to
# $OUT (default ./gpu-out): one .txt per part and summary.md.
# Usage: bench/gpu/run.sh            on the GPU machine (python3 with a CUDA torch and torchvision)
#        bench/gpu/run.sh --dry      here, on the CPU, tiny sizes: Debian's /usr/bin/python3 (torch 1.13) for the
#                                    PyTorch side, the NuGet cache's libtorch 2.10 for ours
# Environment: OUT, MODELS (space-separated; default: those of resnet50 vit_s_16 resnet18 mobilenet_v2 resnet-mini
#              cnn4 that our plugins have), PYTHON, BATCH, COMPATLAB_LIBTORCH.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-$PWD/gpu-out}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
dry=0
[ "${1:-}" = "--dry" ] && dry=1
start=$SECONDS
budget=410  # seconds; each part also has its own timeout

if [ $dry = 1 ]; then
  PYTHON="${PYTHON:-/usr/bin/python3}"; device=cpu; batch="${BATCH:-8}"; size=64; steps=2; warmup=1
  search_args=(--queries 500 --gallery 20000 --dim 128 --k 100 --chunk 250)
  export COMPATLAB_LIBTORCH="${COMPATLAB_LIBTORCH:-$(ls -d "$HOME"/.nuget/packages/libtorch-cpu-linux-x64/*/runtimes/linux-x64/native | tail -1)}"
else
  PYTHON="${PYTHON:-python3}"; device=cuda; batch="${BATCH:-256}"; size=224; steps=20; warmup=5
  search_args=(--queries 10000 --gallery 1000000 --dim 512 --k 100 --chunk 1000)
  torch_dir="$("$PYTHON" -c 'import torch,os;print(os.path.dirname(torch.__file__))')" || { echo "no torch in $PYTHON" >&2; exit 2; }
  export COMPATLAB_LIBTORCH="${COMPATLAB_LIBTORCH:-$torch_dir/lib}"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ -f "$root/.gpu/cli.tar.xz" ] || { echo "no $root/.gpu/cli.tar.xz: run bench/gpu/pack.sh first" >&2; exit 2; }
tar -C "$work" -xJf "$root/.gpu/cli.tar.xz"
export DOTNET_ROOT="$work/dotnet" COMPATLAB_ALLOCATOR="${COMPATLAB_ALLOCATOR:-glibc}" DOTNET_CLI_TELEMETRY_OPTOUT=1
cli=("$work/dotnet/dotnet" "$work/app/compatlab.dll")  # an array: timeout runs programs, not shell functions
bench=("$work/dotnet/dotnet" "$work/app/compatlab-bench.dll")

# part NAME TIMEOUT COMMAND...: runs it with a timeout unless the budget is spent; output to $OUT/NAME.txt
part() {
  local name=$1 limit=$2; shift 2
  local left=$((budget - (SECONDS - start)))
  if [ $left -lt 15 ]; then echo "SKIPPED $name: time budget spent" | tee -a "$OUT/$name.txt"; return 0; fi
  [ $limit -gt $left ] && limit=$left
  echo "== $name (limit ${limit}s)"
  timeout --kill-after=5 "$limit" "$@" >> "$OUT/$name.txt" 2>&1
  local rc=$?
  echo "EXIT $name rc=$rc seconds=$((SECONDS - start))" | tee -a "$OUT/$name.txt"
}

rm -f "$OUT"/*.txt
{ date -u; uname -a; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>/dev/null || echo "no nvidia-smi";
  "$PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())'; } > "$OUT/machine.txt" 2>&1
part doctor 40 "${cli[@]}" doctor --device $device
part selftest 150 "${cli[@]}" selftest gpu --device $device
(cd "$work" && part quick-run 60 "${cli[@]}" run "$root/bench/gpu/quick.json" --device $device $([ $dry = 1 ] && echo --set data.dataset.options.trainPerClass=40 --set data.dataset.options.testPerClass=10 --set old.training.batchSize=16 --set new.training.batchSize=16))

plugins="$("${cli[@]}" plugins 2>/dev/null | awk '$1 == "backbone" { print $2 }')"
if [ -z "${MODELS:-}" ]; then
  MODELS=""
  for m in resnet50 vit-s-16 resnet18 mobilenet-v2; do
    grep -qx -- "$m" <<< "$plugins" && MODELS="$MODELS $m"
  done
fi
for m in $MODELS; do
  for config in "fp32 nchw" "bf16 channelsLast"; do
    set -- $config
    common=(--batch $batch --size $size --precision $1 --layout $2 --warmup $warmup --steps $steps)
    part steps 60 "${bench[@]}" bench gpu-step --model $m --device $device "${common[@]}"
    torch_name=$m; [ "$m" != resnet-mini ] && torch_name=${m//-/_}  # torchvision's names use underscores
    part steps 60 "$PYTHON" "$root/bench/gpu/torch_steps.py" step --model $torch_name --device $device "${common[@]}"
  done
done
part search 60 "${bench[@]}" bench search --device $device "${search_args[@]}"
part search 60 "$PYTHON" "$root/bench/gpu/torch_steps.py" search --device $device "${search_args[@]}"

"$PYTHON" "$root/bench/gpu/summary.py" "$OUT" > "$OUT/summary.md" 2>&1
cat "$OUT/summary.md"
echo "total $((SECONDS - start)) s; files in $OUT"
