#!/usr/bin/python3
"""Puts a section (Markdown read from stdin, starting with its "## " header line) into bench/results.md: in place of
the section with the same header, else before "## CPU peak" (the first of the sections that run-all.sh keeps and the
per-issue scripts write), else before "## Image pipeline", else at the end.
Usage: section.py bench/results.md < section.md"""
import sys

KEPT = ("## CPU peak", "## Image pipeline")


def main():
    path = sys.argv[1]
    section = sys.stdin.read().rstrip("\n").split("\n")
    header = section[0]
    try:
        lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    except FileNotFoundError:
        lines = []
    start = next((i for i, line in enumerate(lines) if line == header), None)
    if start is not None:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        del lines[start:end]
    else:
        start = next((i for k in KEPT for i, line in enumerate(lines) if line.startswith(k)), len(lines))
    lines[start:start] = section + [""]
    open(path, "w", encoding="utf-8").write("\n".join(lines).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
