#!/usr/bin/env bash
# Reports (never fails) the size of what the build puts on disk: the CLI folder that ./compatlab runs, the bench
# folder, and the test project's output, with their largest parts, so a change that copies natives again shows.
# Usage: .ci/sizes.sh   (after ./compatlab --version and dotnet build; missing folders are reported as such)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
report() {
  local name="$1" folder="$2"
  if [ ! -d "$folder" ]; then
    printf '%-12s (not built: %s)\n' "$name" "${folder#"$root"/}"
    return
  fi
  printf '%-12s %8s  %s\n' "$name" "$(du -sh "$folder" | cut -f1)" "${folder#"$root"/}"
  # The three largest entries one level down: runtimes/ (native libraries) and plugins/ are the usual suspects.
  du -sh "$folder"/* 2>/dev/null | sort -rh | head -3 | while read -r size path; do
    printf '%-12s %8s    %s\n' "" "$size" "${path#"$folder"/}"
  done
}
report cli "$root/artifacts/cli"
report bench "$root/artifacts/bench"
report tests "$root/tests/CompatLab.Tests/bin/Debug/net10.0"
exit 0
