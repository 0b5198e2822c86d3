#!/usr/bin/python3
"""Reads the RESULT lines bench/images.sh collected and prints its markdown tables: per worker count the median
images/s over rounds, the median of the per-round ratios, peak memory, the targets; the one-thread splits; the
decoders. Usage: table.py bench/out/images-results.txt"""
import shlex
import statistics
import sys
from collections import defaultdict


def parse(path):
    rows = []
    with open(path) as handle:
        for line in handle:
            if line.startswith("RESULT "):
                rows.append(dict(field.split("=", 1) for field in shlex.split(line)[1:]))
    return rows


def number(row, key):
    return float(row[key])


def channels_last_table(runs):
    """Ours with transforms.channelsLast (not a target: PyTorch's batches are planar), beside the planar runs."""
    keys = [key for key in sorted(runs) if {"decode", "cache", "decode-cl", "cache-cl"} <= runs[key].keys()]
    if not keys:
        return
    print()
    print("| workers | channels-last batches: decoding (img/s) | channels-last: cache hits (img/s) | cache / decode, channels-last | "
          "planar (above): cache / decode |")
    print("|---|---|---|---|---|")
    for workers in sorted({w for w, _ in keys}):
        rounds = [runs[key] for key in keys if key[0] == workers]

        def rate(run, kind):
            return number(run[kind], "images_per_second")

        def cell(kind):
            values = [rate(r, kind) for r in rounds]
            return f"{statistics.median(values):.0f} ({', '.join(f'{v:.0f}' for v in values)})"

        ratio = statistics.median(rate(r, "cache-cl") / rate(r, "decode-cl") for r in rounds)
        planar = statistics.median(rate(r, "cache") / rate(r, "decode") for r in rounds)
        print(f"| {workers} | {cell('decode-cl')} | {cell('cache-cl')} | {ratio:.2f}x | {planar:.2f}x |")
    print()


def pipeline_table(rows):
    runs = defaultdict(dict)  # (workers, round) -> kind -> row
    for row in rows:
        if row.get("impl") in ("compatlab", "pytorch") and row.get("round", "0") != "0":
            kind = "pytorch" if row["impl"] == "pytorch" else row["path"] + ("-cl" if row.get("channels_last") == "1" else "")
            runs[(int(row["workers"]), int(row["round"]))][kind] = row
    print("| workers | ours, decoding (img/s) | ours, cache hits (img/s) | PyTorch DataLoader (img/s) | ours / PyTorch | "
          "cache / decode | peak RSS MB: ours decoding / cache / PyTorch (self + largest worker; tree PSS) |")
    print("|---|---|---|---|---|---|---|")
    verdicts = []
    for workers in sorted({w for w, _ in runs}):
        rounds = [runs[key] for key in sorted(runs) if key[0] == workers and {"decode", "cache", "pytorch"} <= runs[key].keys()]
        if not rounds:
            continue
        rate = {k: [number(r[k], "images_per_second") for r in rounds] for k in ("decode", "cache", "pytorch")}
        versus = statistics.median(r["decode"] / r["pytorch"] for r in (
            {k: number(run[k], "images_per_second") for k in run} for run in rounds))
        cache = statistics.median(number(run["cache"], "images_per_second") / number(run["decode"], "images_per_second") for run in rounds)
        rss = {k: max(number(r[k], "peak_rss_mb") for r in rounds) for k in ("decode", "cache", "pytorch")}
        pss = max(number(r["pytorch"], "tree_pss_mb") for r in rounds)

        def cell(values):
            return f"{statistics.median(values):.0f} ({', '.join(f'{v:.0f}' for v in values)})"

        print(f"| {workers} | {cell(rate['decode'])} | {cell(rate['cache'])} | {cell(rate['pytorch'])} | **{versus:.2f}x** | "
              f"**{cache:.2f}x** | {rss['decode']:.0f} / {rss['cache']:.0f} / {rss['pytorch']:.0f} ({pss:.0f}) |")
        verdicts.append(f"workers {workers}: ours / PyTorch {versus:.2f}x (target >= 1.5: {'met' if versus >= 1.5 else 'missed'}); "
                        f"cache / decode {cache:.2f}x (target >= 5: {'met' if cache >= 5 else 'missed'}); peak RSS ours "
                        f"{rss['decode']:.0f} MB vs PyTorch {rss['pytorch']:.0f} MB ({'no higher' if rss['decode'] <= rss['pytorch'] else 'higher'})")
    print()
    for verdict in verdicts:
        print("- " + verdict)
    channels_last_table(runs)
    for row in rows:
        if row.get("impl") == "compatlab-cache-build":
            print(f"- cache build (side {row['cache_side']}, {row['workers']} workers, every image of the list decoded once): "
                  f"{row['load_seconds']} s for the dataset load that built it")


def split_table(rows):
    splits = [r for r in rows if r.get("impl", "").endswith("-split")]
    if not splits:
        return
    steps = ["decode", "to_float", "crop_resize", "crop_resize_flip", "flip", "flip_normalize", "normalize", "to_tensor", "copy_out", "total", "copy_out_bulk"]
    shown = [s for s in steps if any(f"{s}_ms" in r for r in splits)]
    print()
    print("| one thread, ms per image | " + " | ".join(shown) + " | images/s |")
    print("|---|" + "---|" * (len(shown) + 1))
    for r in splits:
        cells = [r.get(f"{s}_ms", "-") for s in shown]
        print(f"| {r['impl']} {r['path']} | " + " | ".join(cells) + f" | {r['images_per_second_per_thread']} |")


def decoder_table(rows):
    decoders = [r for r in rows if r.get("impl") == "decoder"]
    if not decoders:
        return
    print()
    print("| decoder (one thread, 500x375 JPEG tiles) | images/s (best round; every round) |")
    print("|---|---|")
    for r in decoders:
        print(f"| {r['decoder']} | {r['images_per_second_per_thread']} ({r['rounds']}) |")


def main():
    rows = parse(sys.argv[1])
    pipeline_table(rows)
    split_table(rows)
    decoder_table(rows)


if __name__ == "__main__":
    main()
