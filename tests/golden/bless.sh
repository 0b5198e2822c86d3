#!/usr/bin/env bash
# Stores the current results of the golden regression runs (tiny BCT, tiny PrunNet) as tests/golden/*.json.
# Run it only when a change is meant to move the numbers, and review the diff of tests/golden like code.
set -euo pipefail
cd "$(dirname "$0")/../.."
COMPATLAB_BLESS_GOLDEN=1 dotnet test tests/CompatLab.Tests --filter "FullyQualifiedName~GoldenResultsTests"
git --no-pager diff --stat -- tests/golden || true
