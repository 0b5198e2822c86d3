"""Runs reference implementations for a batch of cases: python3 run.py <in.json> <out.json>, or python3 run.py --serve,
which reads "<in.json><TAB><out.json>" lines from stdin and answers each with a line "ok" or "error <message>".

The input is {"cases": [{"method": ..., "name": ..., ...}]}; the output {"cases": [{"name": ..., "outputs": {...}}]}
with every tensor in common.py's format. One process serves many cases (and, serving, many test classes), since
importing torch costs seconds."""
import importlib
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402  (sets float64 as the default dtype before any reference runs)

MODULES = {
    "independent": "independent", "l2": "l2", "bct": "bct", "bct-proto": "bct_proto",
    "contrastive": "contrastive", "hot-refresh": "hot_refresh", "lce": "lce", "ndpp": "ndpp", "odpp": "odpp",
    "sum": "sum_integrator", "pcgrad": "pcgrad", "conflict-aware": "conflict_aware",
    "learned-score": "learned_score", "magnitude": "magnitude", "random": "random_score", "taylor": "taylor",
    "ranking": "masks", "straight-through": "masks", "bn-recalibration": "bn_recalibration", "twin": "twin",
}


def main(source, target):
    with open(source) as f:
        cases = json.load(f)["cases"]
    results = []
    for case in cases:
        module = importlib.import_module(MODULES[case["method"]])
        entry = getattr(module, "run_" + case["method"].replace("-", "_"), None) or module.run
        outputs = entry(case)
        results.append({"name": case["name"], "outputs": {k: common.encode(v) for k, v in outputs.items()}})
    with open(target, "w") as f:
        json.dump({"cases": results}, f)


def serve():
    print("ready", flush=True)
    for line in sys.stdin:
        source, target = line.rstrip("\n").split("\t")
        try:
            main(source, target)
            print("ok", flush=True)
        except Exception:  # noqa: BLE001  (the test shows the reference's traceback)
            print("error " + traceback.format_exc().replace("\n", "\\n"), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve()
    else:
        main(sys.argv[1], sys.argv[2])
