#!/usr/bin/env python3
"""Turns bench/gpu/run.sh's outputs into summary.md: machine, doctor, self-test verdicts, step timings of
CompatLab beside PyTorch (images/s and their ratio), search times. Usage: summary.py OUT_DIR"""
import os
import re
import sys


def read(out, name):
    path = os.path.join(out, name + ".txt")
    return open(path, errors="replace").read() if os.path.exists(path) else ""


def results(text):
    for line in text.splitlines():
        if line.startswith("RESULT "):
            yield dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)


def main():
    out = sys.argv[1]
    print("# GPU run (bench/gpu/run.sh)\n")
    print("## Machine\n```\n" + read(out, "machine").strip() + "\n```\n")
    print("## compatlab doctor\n```\n" + read(out, "doctor").strip() + "\n```\n")
    print("## Self-test\n```")
    print("\n".join(l for l in read(out, "selftest").splitlines() if l.startswith(("SELFTEST", "EXIT"))))
    print("```\n\n## Quick run\n```")
    print("\n".join(read(out, "quick-run").strip().splitlines()[-25:]))
    print("```\n\n## Training step, images/s (CompatLab vs PyTorch eager, same machine)\n")
    rows = {}
    for r in results(read(out, "steps")):
        key = (r["model"], r["batch"], r["size"], r["precision"], r["layout"])
        rows.setdefault(key, {})["ours" if r["impl"] == "torchsharp" else "torch"] = r
    print("| model | batch | size | precision | layout | CompatLab | PyTorch | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for key, pair in rows.items():
        ours = float(pair["ours"]["images_per_second"]) if "ours" in pair else None
        torch = float(pair["torch"]["images_per_second"]) if "torch" in pair else None
        ratio = f"{ours / torch:.2f}" if ours and torch else "-"
        print("| " + " | ".join(key) + f" | {ours or '-'} | {torch or '-'} | {ratio} |")
    torch_version = next((r["impl"] for r in results(read(out, "steps") + read(out, "search")) if r["impl"] != "torchsharp"), "?")
    print(f"\nPyTorch side: {torch_version}.\n\n## Exact top-k search\n")
    for r in results(read(out, "search")):
        print(f"- {r['impl']}: {r['queries']} queries x {r['gallery']} gallery x {r['dim']}-d, top-{r['k']}: {r['seconds']} s (checksum {r['top1_checksum']})")
    failures = [l for name in ("doctor", "selftest", "quick-run", "steps", "search") for l in read(out, name).splitlines()
                if re.match(r"EXIT .* rc=(?!0\b)", l) or l.startswith("SKIPPED")]
    print("\n## Parts that failed or were skipped\n" + ("\n".join("- " + l for l in failures) if failures else "none"))


if __name__ == "__main__":
    main()
