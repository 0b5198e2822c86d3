#!/usr/bin/env bash
# The streamed-evaluation figure of issue #14 (item 8): exact top-100 of 10,000 queries over a 1,000,000 x 128
# gallery that is read chunk by chunk (compatlab bench stream-eval, all defaults; bench/README.md, "Streamed
# evaluation"). Writes the section "Streamed evaluation" of bench/results.md; the raw RESULT line goes to
# bench/out/stream-eval-results.txt. Target: peak RSS <= 2 GB on the 2-core machine. About 4 minutes on 2 idle cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p bench/out
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
started="$(date -u '+%Y-%m-%d %H:%M') UTC"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
./compatlab bench stream-eval --folder "$scratch" | grep '^RESULT' | tee bench/out/stream-eval-results.txt
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
field() { grep -o " $1=[^ ]*" bench/out/stream-eval-results.txt | cut -d= -f2; }
rss="$(field peak_rss_mb)"
verdict="$(awk -v r="$rss" 'BEGIN { print (r <= 2048 ? "met" : "missed") }')"
{
  echo "## Streamed evaluation (issue #14)"
  echo
  echo "Written by \`bench/stream-eval.sh\` (what it measures: bench/README.md, \"Streamed evaluation\")."
  echo
  echo "- command: \`bench/stream-eval.sh\` (\`compatlab bench stream-eval\`, all defaults, Release build)"
  echo "- date: $started"
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB"
  echo "- load average (1/5/15 min) before: $load_before, after: $load_after"
  echo
  echo "| gallery x queries x dim, k | precision on disk | file MB | write s | search s | peak RSS MB | mAP@k | R@1 | target: RSS <= 2 GB |"
  echo "|---|---|---|---|---|---|---|---|---|"
  echo "| $(field gallery) x $(field queries) x $(field dim), $(field k) | $(field precision) | $(field file_mb) | $(field write_seconds) | $(field search_seconds) | $rss | $(field map_at_k) | $(field recall_at_1) | **$verdict** |"
} | tee /dev/stderr | /usr/bin/python3 bench/section.py bench/results.md
