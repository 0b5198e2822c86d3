#!/usr/bin/env bash
# PrunNet's multi-capacity step time over (K+1) plain dense step times, same model and batch, in one process.
# Usage: bench/prunnet-step.sh [ROUNDS] [INTEGRATOR]   (defaults 8, conflict-aware; builds the CLI if needed;
# about 2 minutes on 2 cores). Exits non-zero when the ratio misses the 1.15 target.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p bench/out
printf 'machine: %s, %s cores; %s\n' "$(uname -m)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf 'load average before: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
./compatlab bench prunnet-step "${1:-8}" "${2:-conflict-aware}" | tee bench/out/prunnet-step.txt
ratio=$(sed -n 's/^ratio (multi-capacity step.*: \([0-9.]*\) .*/\1/p' bench/out/prunnet-step.txt)
awk -v r="$ratio" 'BEGIN { exit (r <= 1.15 ? 0 : 1) }'
