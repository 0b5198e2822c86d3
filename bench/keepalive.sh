#!/usr/bin/env bash
# TorchSharp's temporary scalars freed while libtorch reads them (docs/reliability.md, "TorchSharp's temporary
# objects"): `compatlab bench keepalive` on the woven TorchSharp.dll that every build copies and on the package's
# own file, side by side, ROUNDS rounds (default 2), the order reversed in every other round.
#   race rows: one thread of small tensor arithmetic while another forces collections, SECONDS each (default 60),
#              fully optimised from the start (DOTNET_TieredCompilation=0) so the race is not hidden behind
#              tier-0 code, which keeps every local alive to the end of its method; once on glibc's allocator,
#              which overwrites a freed scalar at once, and once on jemalloc (our default), which leaves its
#              bytes in place, so that a freed scalar is usually still read as the right number there;
#   cost rows: what the rewrite costs where per-call overhead weighs most, a training step of a tiny network
#              (`bench train`, cnn4 widths 4,4,8,8, batch 8, 2000 steps), six runs per build and round,
#              alternating, the median step reported; default tiering and allocator, no forced collections.
# One working thread: with more, the finalizer thread falls behind and frees the temporaries long after their
# calls returned, and the race hides. Usage: bench/keepalive.sh [ROUNDS] [SECONDS]   (about 10 minutes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds=${1:-2}
seconds=${2:-60}
./compatlab bench keepalive --seconds 1 --collect 0 >/dev/null # builds the benchmarks now, outside every timing
out=bench/out/keepalive
rm -rf "$out"
mkdir -p "$out"
# The package's own TorchSharp.dll, in a copy of the benchmark folder (hard links: no extra disk).
version=$(sed -n 's/.*PackageVersion Include="TorchSharp" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
cp -al artifacts/bench "$out/package"
rm "$out/package/TorchSharp.dll"
cp "$packages/torchsharp/$version/lib/net8.0/TorchSharp.dll" "$out/package/TorchSharp.dll"
one() { # build(woven|package) collect(0|1) allocator(glibc|jemalloc) seconds
  local folder=artifacts/bench environment=(COMPATLAB_ALLOCATOR="$3")
  [ "$3" = jemalloc ] && environment=()
  [ "$1" = package ] && folder="$out/package"
  [ "$2" = 1 ] && environment+=(DOTNET_TieredCompilation=0)
  env "${environment[@]}" dotnet "$folder/compatlab-bench.dll" bench keepalive --seconds "$4" --collect "$2" --threads 1 2>&1 |
    tee -a "$out/failures.txt" | grep '^RESULT' | sed "s/^RESULT /RESULT build=$1 allocator=$3 /" >>"$out/results.txt"
}
step() { # build(woven|package)
  local folder=artifacts/bench
  [ "$1" = package ] && folder="$out/package"
  dotnet "$folder/compatlab-bench.dll" bench train --backbone cnn4 --widths 4,4,8,8 --batch 8 --warmup 50 --steps 2000 2>&1 |
    grep '^RESULT' | sed "s/^RESULT /RESULT build=$1 /" >>"$out/steps.txt"
}
printf 'machine: %s, %s cores; %s; load before: %s\n' "$(uname -m)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  builds="woven package"
  [ $((round % 2)) -eq 0 ] && builds="package woven"
  for build in $builds; do one "$build" 1 glibc "$seconds"; done
  for build in $builds; do one "$build" 1 jemalloc "$seconds"; done
  for run in 1 2 3 4 5 6; do for build in $builds; do step "$build"; done; done
done
grep -h '^failure:' "$out/failures.txt" | sort | uniq -c || true
python3 - "$out/results.txt" "$out/steps.txt" <<'PY'
import re, statistics, sys
rows = [dict(re.findall(r'(\w+)=(\S+)', line)) for line in open(sys.argv[1])]
steps = [dict(re.findall(r'(\w+)=(\S+)', line)) for line in open(sys.argv[2])]
print('| TorchSharp.dll | allocator | forced collections | runs | seconds | collections | calls | calls/s | failures |')
print('|---|---|---|---|---|---|---|---|---|')
for build in ('package', 'woven'):
    for collect, allocator in (('1', 'glibc'), ('1', 'jemalloc')):
        group = [r for r in rows if r['build'] == build and r['collect'] == collect and r['allocator'] == allocator]
        if not group:
            continue
        seconds = sum(float(r['seconds']) for r in group)
        calls = sum(int(r['calls']) for r in group)
        failures = sum(int(r['failures']) for r in group)
        label = 'package (unwoven)' if build == 'package' else f"woven ({group[0]['woven']} handle reads)"
        collections = sum(int(r['collections']) for r in group)
        print(f"| {label} | {allocator} | {'yes' if collect == '1' else 'no'} | {len(group)} | {seconds:.0f} | {collections} | {calls} | {calls / seconds:.0f} | {failures} |")
print()
print('| TorchSharp.dll | tiny training steps: runs | median step ms | min | max |')
print('|---|---|---|---|---|')
for build in ('package', 'woven'):
    ms = [float(r['step_ms']) for r in steps if r['build'] == build]
    if ms:
        print(f"| {build} | {len(ms)} | {statistics.median(ms):.2f} | {min(ms):.2f} | {max(ms):.2f} |")
PY
