#!/usr/bin/python3
"""Turns bench/run-all.sh's results.txt into the Markdown of bench/results.md (printed to stdout).

Usage: /usr/bin/python3 bench/report.py RESULTS_TXT RUN_FOLDER
"""
import json
import sys

FLOPS_PER_CYCLE_AVX2_FMA = 32  # per core: 2 FMA units x 8 float32 lanes x 2 operations (multiply and add)


def parse(path):
    meta, rows = {}, {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("META "):
            key, _, value = line[5:].partition("=")
            meta[key] = value
        elif line.startswith("RESULT "):
            fields = dict(part.split("=", 1) for part in line[7:].split() if "=" in part)
            rows[fields["label"]] = fields
    return meta, rows


def pipeline_rate(metrics_path, stage="old"):
    """Images per second over the logged windows after the first (the warm-up): total images / total time."""
    windows = []
    for line in open(metrics_path, encoding="utf-8"):
        record = json.loads(line)
        if record["key"] == f"{stage}.images_per_second":
            windows.append((record["step"], record["value"]))
    windows.sort()
    steps = [s for s, _ in windows]
    timed = windows[1:]
    if not timed:
        return float("nan"), 0
    images_and_seconds = []
    for (step, rate), previous in zip(timed, steps):
        images = (step - previous) * 128
        images_and_seconds.append((images, images / rate))
    images = sum(i for i, _ in images_and_seconds)
    return images / sum(s for _, s in images_and_seconds), images // 128


def fastest(rows, prefix, rate_of):
    """(rate, row, every round's rate) of the fastest round labelled prefix-r<k> (or prefix alone), or None."""
    found = [(rate_of(label, row), row) for label, row in sorted(rows.items())
             if label == prefix or (label.startswith(prefix + "-r") and label[len(prefix) + 2:].isdigit())]
    if not found:
        return None
    best = max(found, key=lambda item: item[0])
    return best[0], best[1], [rate for rate, _ in found]


def mb(row):
    return f"{int(row['maxrss_kb']) / 1024:.0f}"


def verdict(ok):
    return "met" if ok else "**missed**"


def main():
    meta, rows = parse(sys.argv[1])
    folder = sys.argv[2]
    mhz = float(meta.get("mhz_max") or meta.get("mhz_now") or "nan")
    cores = int(meta["cores"])
    flags = meta.get("flags", "").split()
    per_cycle = FLOPS_PER_CYCLE_AVX2_FMA if {"avx2", "fma"} <= set(flags) else float("nan")
    peak = cores * mhz / 1000 * per_cycle
    out = ["# Benchmark results", "",
           "Written by `bench/run-all.sh` (do not edit; what the figures mean and what was done about missed",
           "targets is in `bench/README.md`).", "",
           f"- command: `{meta['command']}`",
           f"- date: {meta['date']}",
           f"- machine: {meta['cpu']}, {cores} cores, {meta.get('memory', '?')}; CPU flags: {meta.get('flags', '').strip()}",
           f"- versions: .NET SDK {meta['dotnet']}, TorchSharp {meta['torchsharp']}, PyTorch {meta['pytorch']} (Debian python3-torch); 2 threads everywhere",
           f"- load average (1/5/15 min) before: {meta['load_before']}, after: {meta.get('load_after', '?')}",
           "", "## Exact mAP (query = gallery, own image excluded, 128-d, 100 classes)", "",
           "| N | ours (s) | PyTorch (s) | speed-up | mAP ours | mAP PyTorch | abs. difference | peak RSS ours / PyTorch (MB) | targets (>= 2x, <= 1e-5) |",
           "|---|---|---|---|---|---|---|---|---|"]
    for label in sorted((l for l in rows if l.startswith("eval-") and l.endswith("-ours")), key=lambda l: int(l.split("-")[1])):
        ours, ref = rows[label], rows.get(label.replace("-ours", "-pytorch"))
        if ref is None:
            continue
        speed = float(ref["seconds_min"]) / float(ours["seconds_min"])
        diff = abs(float(ours["map"]) - float(ref["map"]))
        out.append(f"| {ours['n']} | {float(ours['seconds_min']):.2f} | {float(ref['seconds_min']):.2f} | {speed:.2f}x | "
                   f"{float(ours['map']):.8f} | {float(ref['map']):.8f} | {diff:.1e} | {mb(ours)} / {mb(ref)} | "
                   f"speed {verdict(speed >= 2)}, exactness {verdict(diff <= 1e-5)} |")
    out += ["", "Times are the fastest of the repeats (3 at N <= 20000, else 1). Peak RSS is the whole process's",
            "(`/usr/bin/time %M`), our process also generating the features.", "",
            "## Training throughput (batch 128, 1x28x28, 10 classes, 128-d embedding, SGD, 2 threads)", "",
            f"Peak: {cores} cores x {mhz / 1000:.2f} GHz x {per_cycle} float32 FLOPs per cycle (AVX2: two 256-bit FMA units",
            f"x 8 lanes x 2) = **{peak:.0f} GFLOP/s**. Step FLOPs are counted from the layer shapes (convolutions and linear",
            "layers, 2 FLOPs per multiply-accumulate, backward = 2 x forward, so a step = 3 x forward).", "",
            "| backbone | implementation | images/s (fastest round) | every round | step (ms) | GFLOP/s | % of peak | peak RSS (MB) |",
            "|---|---|---|---|---|---|---|---|"]
    ratios = []
    for backbone in ["cnn4", "resnet-mini"]:
        bare = fastest(rows, f"train-{backbone}-bare", lambda label, row: float(row["images_per_second"]))
        ref = fastest(rows, f"train-{backbone}-pytorch", lambda label, row: float(row["images_per_second"]))
        pipe = fastest(rows, f"train-{backbone}-pipeline", lambda label, row: pipeline_rate(f"{folder}/{label}.metrics.jsonl")[0])
        if not (bare and ref and pipe):
            continue
        flops = float(bare[1]["flops_per_step"])
        entries = [("our pipeline (runner, plugins, data, MLflow tracker)", pipe),
                   ("bare TorchSharp loop", bare),
                   (f"PyTorch {meta['pytorch']}", ref)]
        for name, (rate, row, all_rates) in entries:
            gflops = flops * rate / 128 / 1e9
            rounds_text = ", ".join(f"{r:.0f}" for r in all_rates)
            out.append(f"| {backbone} | {name} | {rate:.0f} | {rounds_text} | {128 / rate * 1000:.1f} | {gflops:.1f} | {gflops / peak * 100:.1f}% | {mb(row)} |")
        ratios.append((backbone, pipe[0] / bare[0], pipe[0] / ref[0]))
    out += ["", "| backbone | pipeline / bare TorchSharp (target >= 0.95) | pipeline / PyTorch (target >= 1.0) |", "|---|---|---|"]
    for backbone, vs_bare, vs_ref in ratios:
        out.append(f"| {backbone} | {vs_bare:.3f} ({verdict(vs_bare >= 0.95)}) | {vs_ref:.3f} ({verdict(vs_ref >= 1.0)}) |")
    out += ["", "The pipeline's rate is read from the run's `old.images_per_second` metric over the windows after the",
            "first (the warm-up); bare and PyTorch time the same number of steps after the same warm-up on eight random",
            f"batches in turn. Each implementation ran {meta.get('train_rounds', '1')} rounds, the order reversed in every other round;",
            "the table and the ratios use each one's fastest round. Peak RSS (of that round) of the pipeline covers the",
            "whole run (data, evaluation, tracker)."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
