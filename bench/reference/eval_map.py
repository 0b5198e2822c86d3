#!/usr/bin/python3
"""PyTorch reference for `compatlab bench eval`: exact mAP of every item against all the others (its own image
excluded), by sorting each query's full row of cosine similarities.

Usage: /usr/bin/python3 bench/reference/eval_map.py DIR [--repeats R] [--chunk Q]
DIR holds features.npy (float32 [N, d]) and labels.npy (int64 [N]) written by `compatlab bench eval`.
Ties rank by ascending gallery index (a stable descending sort), as in our evaluator.
"""
import argparse
import os
import statistics
import time

import numpy as np
import torch


def mean_average_precision(features, labels, chunk):
    features = torch.nn.functional.normalize(features, p=2, dim=1)
    n = features.shape[0]
    ranks = torch.arange(1, n + 1, dtype=torch.float64)
    ap_sum, scored = 0.0, 0
    for start in range(0, n, chunk):
        count = min(chunk, n - start)
        rows = torch.arange(count)
        similarity = features[start:start + count] @ features.T
        similarity[rows, rows + start] = -float("inf")  # the query's own image ranks last ...
        order = torch.sort(similarity, dim=1, descending=True, stable=True).indices
        del similarity
        relevant = labels[order] == labels[start:start + count, None]
        relevant[:, -1] &= order[:, -1] != rows + start  # ... and is never a hit
        del order
        relevant_count = relevant.sum(1)
        hits_so_far = relevant.cumsum(1, dtype=torch.float64)
        precision_sum = (hits_so_far.div_(ranks) * relevant).sum(1)
        ap = precision_sum / relevant_count.clamp(min=1)
        ap_sum += ap[relevant_count > 0].sum().item()
        scored += int((relevant_count > 0).sum())
    return ap_sum / scored, scored


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=1024)
    args = parser.parse_args()
    torch.set_num_threads(2)
    features = torch.from_numpy(np.load(os.path.join(args.folder, "features.npy")))
    labels = torch.from_numpy(np.load(os.path.join(args.folder, "labels.npy")))
    seconds = []
    for _ in range(args.repeats):
        clock = time.perf_counter()
        result, scored = mean_average_precision(features, labels, args.chunk)
        seconds.append(time.perf_counter() - clock)
    print(f"RESULT impl=pytorch-{torch.__version__} n={features.shape[0]} dim={features.shape[1]} chunk={args.chunk} "
          f"repeats={args.repeats} seconds_min={min(seconds):.4f} seconds_median={statistics.median(seconds):.4f} "
          f"map={result!r} scored={scored}")


if __name__ == "__main__":
    main()
