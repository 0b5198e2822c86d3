#!/usr/bin/env python3
"""Turns bench/cpu-step.sh's RESULT lines into the section "CPU peak and ImageNet-size step" of bench/results.md.

Usage: cpu_step_report.py RESULTS_TXT RESULTS_MD. The section replaces the previous one and sits before
"## Image pipeline" (or at the end when there is none).
"""
import statistics
import sys

HEADER = "## CPU peak and ImageNet-size step (issue #15)"
# resnet50 at 224: 4.11 G multiply-accumulates per image forward; a training step = 3 x forward, 2 FLOPs per MAC.
RESNET50_STEP_GFLOP_PER_IMAGE = 4.11 * 2 * 3


def parse(path):
    meta, rows = {}, []
    for line in open(path, encoding="utf-8"):
        if line.startswith("META "):
            key, _, value = line[5:].rstrip("\n").partition("=")
            meta[key] = value
        elif line.startswith("RESULT "):
            fields = dict(token.split("=", 1) for token in line.split()[1:] if "=" in token)
            fields["kind"] = "gemm" if " gemm " in line else "step"
            rows.append(fields)
    return meta, rows


def section(meta, rows):
    def of(kind, impl_prefix):
        return [r for r in rows if r["kind"] == kind and r["impl"].startswith(impl_prefix)]

    gemm_ours = [float(r["gflops_best"]) for r in of("gemm", "torchsharp")]
    gemm_theirs = [float(r["gflops_best"]) for r in of("gemm", "pytorch")]
    peak = max(gemm_ours + gemm_theirs)
    by_round = {}
    for r in of("step", ""):
        by_round.setdefault(r["round"], {})["ours" if r["impl"] == "torchsharp" else "theirs"] = float(r["step_ms"])
    pairs = [(v["ours"], v["theirs"]) for _, v in sorted(by_round.items()) if len(v) == 2]
    ratios = [theirs / ours for ours, theirs in pairs]
    batch = int(of("step", "")[0]["batch"])
    median_ratio = statistics.median(ratios)

    def gflops(ms):
        return RESNET50_STEP_GFLOP_PER_IMAGE * batch / (ms / 1000)

    out = [HEADER, "",
           "Written by `bench/cpu-step.sh` (run-all.sh keeps this section; what it measures: bench/README.md, \"CPU peak\").", "",
           f"- command: `{meta.get('command', 'bench/cpu-step.sh')}`",
           f"- date: {meta.get('date', '?')}",
           f"- machine: {meta.get('cpu', '?')}; flags: {meta.get('flags', '').strip()}",
           f"- PyTorch {meta.get('pytorch', '?')} (Debian; BLAS: {meta.get('blas', '?')}), 2 threads everywhere",
           f"- load average (1/5/15 min) before: {meta.get('load_before', '?')}, after: {meta.get('load_after', '?')}", ""]
    if float(meta.get("load_before", "0 0 0").split()[0]) > int(meta.get("cores", "1")):
        out += ["**Measured on a loaded machine** (more runnable tasks than cores): each process got a share of the CPU, so",
                "the GFLOP/s figures, the peak among them, are what the processes got then, not what the machine can do; the",
                "ratio compares two processes measured side by side in the same round, which is what the target is judged on.", ""]
    out += [

           "| measure | ours (every round) | PyTorch (every round) | ours / PyTorch | target |", "|---|---|---|---|---|",
           f"| float32 GEMM {rows[0].get('size', '?')}^2, GFLOP/s (best of 10) | {', '.join(f'{g:.1f}' for g in gemm_ours)} | "
           f"{', '.join(f'{g:.1f}' for g in gemm_theirs)} | {statistics.median(gemm_ours) / statistics.median(gemm_theirs):.2f}x | (measured peak: **{peak:.1f} GFLOP/s**) |",
           f"| resnet50 224, batch {batch}, fp32 NCHW, step ms | {', '.join(f'{o:.0f}' for o, _ in pairs)} | "
           f"{', '.join(f'{t:.0f}' for _, t in pairs)} | **{median_ratio:.2f}x** (rounds: {', '.join(f'{r:.2f}' for r in ratios)}) | "
           f">= 1.0: {'met' if median_ratio >= 1.0 else '**missed**'} |",
           f"| resnet50 step, GFLOP/s (% of the measured peak) | {gflops(statistics.median([o for o, _ in pairs])):.1f} "
           f"({gflops(statistics.median([o for o, _ in pairs])) / peak * 100:.0f}%) | {gflops(statistics.median([t for _, t in pairs])):.1f} "
           f"({gflops(statistics.median([t for _, t in pairs])) / peak * 100:.0f}%) | | |", ""]
    return out


def main():
    meta, rows = parse(sys.argv[1])
    lines = open(sys.argv[2], encoding="utf-8").read().split("\n") if len(sys.argv) > 2 else []
    start = next((i for i, l in enumerate(lines) if l.startswith(HEADER)), None)
    images = next((i for i, l in enumerate(lines) if l.startswith("## Image pipeline")), len(lines))
    if start is not None:
        del lines[start:images if images > start else len(lines)]
        images = next((i for i, l in enumerate(lines) if l.startswith("## Image pipeline")), len(lines))
    lines[images:images] = section(meta, rows)
    open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines))


if __name__ == "__main__":
    main()
