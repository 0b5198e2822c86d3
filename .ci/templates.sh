#!/usr/bin/env bash
# CI for the plugin templates: installs templates/ into a throw-away template hive, instantiates every template,
# builds it, runs its tests (the conformance kit; for a protocol, tiny in-process experiments) and one tiny experiment
# with the new plugin through the CLI.
# Usage: .ci/templates.sh [kind ...]   (default: every kind)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(loss backbone integrator criterion dataset tracker protocol)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work="$(mktemp -d /tmp/compatlab-templates.XXXXXX)"
trap 'rm -rf "$work"' EXIT
hive="$work/hive"
dotnet new install "$repo/templates/" --debug:custom-hive "$hive" >/dev/null

# A tiny experiment (seconds): synthetic data, a narrow cnn4, one epoch; the plugin under test takes its slot.
bcl_experiment() { # $1 dataset, $2 backbone, $3 loss type, $4 trackers, $5 protocol (default extended-class)
  cat <<JSON
{
  "name": "template-ci", "seed": 1, "threads": 1, "output": "$work/runs",
  "data": { "dataset": $1, "split": { "type": "${5:-extended-class}" } },
  "model": { "backbone": $2, "embeddingDim": 8 },
  "old": { "training": { "epochs": 1, "batchSize": 8 } },
  "new": { "loss": { "type": "$3" }, "training": { "epochs": 1, "batchSize": 8 } },
  "tracking": { "trackers": $4 }
}
JSON
}
prunnet_experiment() { # $1 integrator type, $2 criterion type
  cat <<JSON
{
  "name": "template-ci", "seed": 1, "threads": 1, "output": "$work/runs",
  "data": { "dataset": $synthetic },
  "model": { "backbone": $cnn4, "embeddingDim": 8 },
  "new": { "training": { "epochs": 1, "batchSize": 8 } },
  "prunnet": { "capacities": [1.0, 0.5], "integrator": { "type": "$1" },
               "evaluation": { "capacities": [1.0, 0.5], "recalibrationBatches": 2,
                               "criteria": [{ "criterion": { "type": "$2" }, "scope": "layer" }] } },
  "tracking": { "trackers": [] }
}
JSON
}
synthetic='{ "type": "synthetic", "options": { "classes": 4, "trainPerClass": 24, "testPerClass": 6, "size": 16 } }'
cnn4='{ "type": "cnn4", "options": { "widths": [4, 4, 8, 8] } }'

experiment() { # $1 kind, $2 plugin name
  case "$1" in
    loss) bcl_experiment "$synthetic" "$cnn4" "$2" '[]' ;;
    backbone) bcl_experiment "$synthetic" "{ \"type\": \"$2\" }" bct '[]' ;;
    dataset) bcl_experiment "{ \"type\": \"$2\" }" "$cnn4" bct '[]' ;;
    tracker) bcl_experiment "$synthetic" "$cnn4" bct "[{ \"type\": \"$2\" }]" ;;
    protocol) bcl_experiment "$synthetic" "$cnn4" bct '[]' "$2" ;;
    integrator) prunnet_experiment "$2" learned-score ;;
    criterion) prunnet_experiment conflict-aware "$2" ;;
  esac
}

for kind in "${kinds[@]}"; do
  started=$SECONDS
  name="Ci${kind^}"
  plugin="ci-$kind"
  echo "== $kind: dotnet new compatlab-$kind -n $name --pluginName $plugin"
  dotnet new "compatlab-$kind" -n "$name" -o "$work/$kind" --repo "$repo" --pluginName "$plugin" --debug:custom-hive "$hive" >/dev/null
  dotnet build "$work/$kind/$name.Tests" -m:1 -nologo -v quiet -clp:ErrorsOnly
  dotnet test "$work/$kind/$name.Tests" --no-build -nologo -v quiet
  dotnet build "$work/$kind/$name" -c Release -m:1 -nologo -v quiet -clp:ErrorsOnly
  mkdir -p "$work/plugins"
  cp -r "$work/$kind/$name/bin/Release/net10.0" "$work/plugins/$name"
  experiment "$kind" "$plugin" > "$work/$kind.json"
  (cd "$work" && "$repo/compatlab" run "$work/$kind.json" --plugins "$work/plugins" >"$work/$kind.log" 2>&1) || { cat "$work/$kind.log"; exit 1; }
  results=$(find "$work/runs" -name results.json -newer "$work/$kind.json" | head -n 1)
  [ -n "$results" ] || { echo "$kind: the experiment wrote no results.json" >&2; cat "$work/$kind.log"; exit 1; }
  # The template's default file name follows the plugin name (my-tracker.log becomes ci-tracker.log).
  if [ "$kind" = tracker ] && ! find "$work/runs" -name "$plugin.log" -newer "$work/$kind.json" | grep -q .; then
    echo "tracker: the plugin wrote no $plugin.log" >&2; exit 1
  fi
  rm -rf "$work/plugins/$name" # one outside plugin at a time: the next experiment loads only its own
  echo "== $kind: ok ($((SECONDS - started)) s)"
done
echo "templates: ${#kinds[@]} kinds instantiated, built, conformance-tested and run (${SECONDS} s)"
