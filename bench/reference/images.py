#!/usr/bin/python3
"""PyTorch reference for `compatlab bench images`: the same image list, read the ordinary PyTorch way, a torch
Dataset opening each file with PIL (torchvision's pil_loader: Image.open, convert("RGB")) and torchvision's
RandomResizedCrop(224), RandomHorizontalFlip(), ToTensor(), Normalize(ImageNet mean and std), batched by a
DataLoader (batch 64, shuffled, WORKERS worker processes, persistent so that a new epoch does not restart them).
The first --warmup batches are not timed.

Prints images/s and peak memory: peak_rss_mb is getrusage's maximum resident set of this process plus that of
its largest child (the workers; RUSAGE_CHILDREN counts them once they have exited), as the brief asks; the
process tree is also sampled every 50 ms (/proc/PID/smaps_rollup of this process and its workers), giving the
peak of the summed RSS (shared pages counted once per process) and of the summed PSS (shared pages divided).

With --split N it instead times the steps one by one for the first N images in one process (PIL decode,
RandomResizedCrop, flip, ToTensor, Normalize, the copy into the batch), as `compatlab bench images-split` does.

Usage: /usr/bin/python3 bench/reference/images.py --list LIST [--workers 1] [--batch 64] [--images 2000] [--warmup 2]
       /usr/bin/python3 bench/reference/images.py --list LIST --split 300
"""
import argparse
import csv
import gc
import os
import resource
import threading
import time

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


class ImageList(Dataset):
    def __init__(self, list_path, transform):
        folder = os.path.dirname(os.path.abspath(list_path))
        with open(list_path, newline="") as handle:
            rows = list(csv.DictReader(handle))
        labels = sorted({row["label"] for row in rows})
        index = {label: i for i, label in enumerate(labels)}
        self.items = [(os.path.join(folder, row["path"]), index[row["label"]]) for row in rows]
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        with open(path, "rb") as handle:
            image = Image.open(handle).convert("RGB")
        return self.transform(image), label


class TreeMemory(threading.Thread):
    """Peak summed RSS and PSS (MB) of this process and its children, sampled."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_rss = self.peak_pss = 0.0
        self.stopped = threading.Event()

    @staticmethod
    def pids():
        me = os.getpid()
        found = [me]
        for task in os.listdir(f"/proc/{me}/task"):
            try:
                with open(f"/proc/{me}/task/{task}/children") as handle:
                    found += [int(p) for p in handle.read().split()]
            except OSError:
                pass
        return found

    @staticmethod
    def rollup(pid):
        values = {}
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    key, _, rest = line.partition(":")
                    if key in ("Rss", "Pss"):
                        values[key] = int(rest.split()[0]) / 1024
        except OSError:
            pass
        return values.get("Rss", 0.0), values.get("Pss", 0.0)

    def run(self):
        while not self.stopped.wait(0.05):
            sums = [self.rollup(pid) for pid in self.pids()]
            self.peak_rss = max(self.peak_rss, sum(r for r, _ in sums))
            self.peak_pss = max(self.peak_pss, sum(p for _, p in sums))


def split(dataset, count):
    """Seconds per step over the first count images, one thread, after one warm-up pass."""
    steps = [("decode", lambda path, _: Image.open(path).convert("RGB")),
             ("crop_resize", lambda image, _: transforms.RandomResizedCrop(224)(image)),
             ("flip", lambda image, _: transforms.RandomHorizontalFlip()(image)),
             ("to_tensor", lambda image, _: transforms.functional.to_tensor(image)),
             ("normalize", lambda tensor, _: transforms.functional.normalize(tensor, MEAN, STD)),
             ("copy_out", lambda tensor, out: out.copy_(tensor))]
    out = torch.empty(3, 224, 224)
    paths = [path for path, _ in dataset.items[:count]]
    for timed in (False, True):
        seconds = [0.0] * len(steps)
        for path in paths:
            value = path
            for i, (_, step) in enumerate(steps):
                start = time.perf_counter()
                value = step(value, out)
                seconds[i] += time.perf_counter() - start
    fields = " ".join(f"{name}_ms={1000 * s / len(paths):.3f}" for (name, _), s in zip(steps, seconds))
    total = sum(seconds)
    print(f"RESULT impl=pytorch-split path=decode images={len(paths)} {fields} total_ms={1000 * total / len(paths):.3f} "
          f"images_per_second_per_thread={len(paths) / total:.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--split", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)  # the main process only receives batches; DataLoader workers run one thread each

    transform = transforms.Compose([
        transforms.RandomResizedCrop(224),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])
    dataset = ImageList(args.list, transform)
    if args.split:
        split(dataset, args.split)
        return
    loader = DataLoader(dataset, batch_size=args.batch, shuffle=True, drop_last=True, num_workers=args.workers,
                        persistent_workers=args.workers > 0, generator=torch.Generator().manual_seed(args.seed))
    memory = TreeMemory()
    memory.start()
    start = time.perf_counter()
    done = timed = 0
    clock = start if args.warmup == 0 else None
    while timed < args.images:
        for images, _ in loader:
            assert images.dtype == torch.float32 and images.shape == (args.batch, 3, 224, 224)
            done += 1
            if done == args.warmup:
                clock = time.perf_counter()  # timing starts once the warm-up batches are in
            elif done > args.warmup:
                timed += args.batch
            if timed >= args.images:
                break
    seconds = time.perf_counter() - clock
    total = time.perf_counter() - start
    del loader  # shuts the persistent workers down, so RUSAGE_CHILDREN counts them
    gc.collect()
    memory.stopped.set()
    memory.join()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"RESULT impl=pytorch path=decode workers={args.workers} batch={args.batch} images={timed} "
          f"seconds={seconds:.2f} images_per_second={timed / seconds:.1f} total_seconds={total:.2f} "
          f"peak_rss_mb={own + child:.0f} self_rss_mb={own:.0f} largest_worker_rss_mb={child:.0f} "
          f"tree_rss_mb={memory.peak_rss:.0f} tree_pss_mb={memory.peak_pss:.0f} "
          f"torch={torch.__version__} torchvision={__import__('torchvision').__version__} pil={Image.__version__}")


if __name__ == "__main__":
    main()
