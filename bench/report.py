#!/usr/bin/python3
"""Turns bench/run-all.sh's results.txt into the Markdown of bench/results.md (printed to stdout).

Usage: /usr/bin/python3 bench/report.py RESULTS_TXT RUN_FOLDER
"""
import json
import sys
from statistics import median

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


def pipeline_windows(metrics_path, stage="old"):
    """[(images, seconds, loop share)] of the logged windows after the first (the warm-up)."""
    rates, shares = {}, {}
    for line in open(metrics_path, encoding="utf-8"):
        record = json.loads(line)
        if record["key"] == f"{stage}.images_per_second":
            rates[record["step"]] = record["value"]
        elif record["key"] == f"{stage}.loop_overhead":
            shares[record["step"]] = record["value"]
    steps = sorted(rates)
    windows = []
    for previous, step in zip(steps, steps[1:]):
        images = (step - previous) * 128
        windows.append((images, images / rates[step], shares.get(step, float("nan"))))
    return windows


def pipeline_rate(metrics_path, stage="old"):
    """Images per second over the logged windows after the first: total images / total time."""
    windows = pipeline_windows(metrics_path, stage)
    if not windows:
        return float("nan")
    return sum(i for i, _, _ in windows) / sum(s for _, s, _ in windows)


def pipeline_loop_share(metrics_path, stage="old"):
    """Share of the timed windows' time the training loop spent outside the training step (time-weighted)."""
    windows = pipeline_windows(metrics_path, stage)
    seconds = sum(s for _, s, _ in windows)
    return sum(s * share for _, s, share in windows) / seconds if seconds else float("nan")


def rounds(rows, prefix, rate_of):
    """{round number: (rate, row)} of the runs labelled prefix-r<k> (or prefix alone, as round 1)."""
    found = {}
    for label, row in rows.items():
        if label == prefix:
            found[1] = (rate_of(label, row), row)
        elif label.startswith(prefix + "-r") and label[len(prefix) + 2:].isdigit():
            found[int(label[len(prefix) + 2:])] = (rate_of(label, row), row)
    return found


def paired_ratios(numerator, denominator):
    """Per-round ratios of two implementations measured in the same round, in round order."""
    return [numerator[k][0] / denominator[k][0] for k in sorted(numerator) if k in denominator]


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
    assumed_peak = cores * mhz / 1000 * per_cycle
    measured = [float(rows[label]["gflops_best"]) for label in ("gemm-ours", "gemm-pytorch") if label in rows]
    peak = max(measured) if measured else assumed_peak
    gemm_rates = ", ".join(f"{'ours' if label.endswith('ours') else 'PyTorch'} {rows[label]['gflops_best']}" for label in ("gemm-ours", "gemm-pytorch") if label in rows)
    out = ["# Benchmark results", "",
           "Written by `bench/run-all.sh` (do not edit; what the figures mean and what was done about missed",
           "targets is in `bench/README.md`).", "",
           f"- command: `{meta['command']}`",
           f"- date: {meta['date']}",
           f"- machine: {meta['cpu']}, {cores} cores, {meta.get('memory', '?')}; CPU flags: {meta.get('flags', '').strip()}",
           f"- versions: .NET SDK {meta['dotnet']}, TorchSharp {meta['torchsharp']}, PyTorch {meta['pytorch']} (Debian python3-torch); 2 threads everywhere",
           f"- native memory allocator: ours {meta.get('allocator', '?')} (what `compatlab version` reports; bench/README.md), PyTorch glibc as installed",
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
            (f"Peak: the best float32 rate of a 2048^2 matrix product, 2 threads ({gemm_rates} GFLOP/s) = **{peak:.0f} GFLOP/s**, "
             f"measured rather than assumed (the assumed "
             f"{cores} cores x {mhz / 1000:.2f} GHz x {per_cycle} FLOPs per cycle would be {assumed_peak:.0f}; Zen 5 doubles the per-cycle figure)."
             if measured else
             f"Peak (assumed, no GEMM measured): {cores} cores x {mhz / 1000:.2f} GHz x {per_cycle} float32 FLOPs per cycle = **{peak:.0f} GFLOP/s**."),
            "Step FLOPs are counted from the layer shapes (convolutions and linear",
            "layers, 2 FLOPs per multiply-accumulate, backward = 2 x forward, so a step = 3 x forward).", "",
            "| backbone | implementation | images/s (median of rounds) | every round, in order | step (ms) | GFLOP/s | % of peak | peak RSS (MB, lowest-highest round) |",
            "|---|---|---|---|---|---|---|---|"]
    ratios = []
    for backbone in ["cnn4", "resnet-mini"]:
        bare = rounds(rows, f"train-{backbone}-bare", lambda label, row: float(row["images_per_second"]))
        ref = rounds(rows, f"train-{backbone}-pytorch", lambda label, row: float(row["images_per_second"]))
        pipe = rounds(rows, f"train-{backbone}-pipeline", lambda label, row: pipeline_rate(f"{folder}/{label}.metrics.jsonl"))
        if not (bare and ref and pipe):
            continue
        flops = float(next(iter(bare.values()))[1]["flops_per_step"])
        entries = [("our pipeline (runner, plugins, data, MLflow tracker)", pipe),
                   ("bare TorchSharp loop", bare),
                   (f"PyTorch {meta['pytorch']}", ref)]
        for name, found in entries:
            rate = median([r for r, _ in found.values()])
            peaks = sorted(int(row["maxrss_kb"]) / 1024 for _, row in found.values())
            gflops = flops * rate / 128 / 1e9
            rounds_text = ", ".join(f"{found[k][0]:.0f}" for k in sorted(found))
            out.append(f"| {backbone} | {name} | {rate:.0f} | {rounds_text} | {128 / rate * 1000:.1f} | {gflops:.1f} | {gflops / peak * 100:.1f}% | {peaks[0]:.0f}-{peaks[-1]:.0f} |")
        fastest = lambda found: max(r for r, _ in found.values())
        loop_share = median([pipeline_loop_share(f"{folder}/{row['label']}.metrics.jsonl") for _, row in pipe.values()])
        ratios.append((backbone, paired_ratios(pipe, bare), paired_ratios(pipe, ref),
                       fastest(pipe) / fastest(bare), fastest(pipe) / fastest(ref), loop_share))
    out += ["", "| backbone | pipeline / bare TorchSharp (target >= 0.95) | pipeline / PyTorch (target >= 1.0) | per round: vs bare; vs PyTorch | fastest rounds: vs bare; vs PyTorch | pipeline loop's own share of its time |",
            "|---|---|---|---|---|---|"]
    for backbone, vs_bare, vs_ref, fast_bare, fast_ref, loop_share in ratios:
        m_bare, m_ref = median(vs_bare), median(vs_ref)
        out.append(f"| {backbone} | {m_bare:.3f} ({verdict(m_bare >= 0.95)}) | {m_ref:.3f} ({verdict(m_ref >= 1.0)}) | "
                   f"{', '.join(f'{r:.2f}' for r in vs_bare)}; {', '.join(f'{r:.2f}' for r in vs_ref)} | {fast_bare:.3f}; {fast_ref:.3f} | {loop_share * 100:.2f}% |")
    out += ["", "The pipeline's rate is read from the run's `old.images_per_second` metric over the windows after the",
            "first (the warm-up); bare and PyTorch time the same number of steps after the same warm-up on eight random",
            f"batches in turn. Every implementation ran {meta.get('train_rounds', '1')} rounds, one process each, all three in every round",
            "with the order reversed in every other round. A target is judged on the median over rounds of the ratio",
            "between two implementations measured in the same round (this VM's speed drifts by up to 30% between",
            "rounds, and within a round both see the same spell); the ratio of the fastest rounds is shown beside it.",
            "The loop's own share is the time of the pipeline's timed windows spent outside the training step (batch",
            "gathering, learning-rate schedule, metrics to the trackers, progress, checkpoints), from its",
            "`old.loop_overhead` metric, median over rounds. Peak RSS of the pipeline covers the whole run (data,",
            "evaluation, tracker)."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
