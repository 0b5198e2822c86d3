#!/usr/bin/env python3
"""PyTorch eager counterpart of `compatlab bench gpu-step` and `compatlab bench search` (bench/gpu/run.sh).

Training steps: a model, its cross-entropy on random data, backward, SGD (lr 0.05, momentum 0.9, weight decay
5e-4), the mean of --steps steps after --warmup. Models: torchvision's by name (resnet18, resnet50, mobilenet_v2,
vit_b_16, ...), vit_t_16 / vit_s_16 (torchvision's VisionTransformer at DeiT tiny/small sizes), and the
bench/reference networks cnn4 and resnet-mini with CompatLab's 128-d embedding and linear classifier.
bf16 = model and inputs in bfloat16, as compatlab's bench does.

Usage: torch_steps.py step --model resnet50 [--batch 256] [--size 224] [--precision fp32|bf16]
                            [--layout nchw|channelsLast] [--device cuda] [--warmup 5] [--steps 20] [--threads 0]
       torch_steps.py search [--queries 10000] [--gallery 1000000] [--dim 512] [--k 100] [--chunk 1000] [--device cuda]
       torch_steps.py gemm [--size 2048] [--reps 20] [--threads 0] [--device cpu]
"""
import argparse
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))


def reference_model(name, channels, classes):
    import train_step as ref
    trunk = ref.Cnn4([32, 64, 128, 128], channels) if name == "cnn4" else ref.ResNetMini([16, 32, 64], 1, channels)
    return nn.Sequential(trunk, nn.Linear(trunk.out_dim, 128), nn.BatchNorm1d(128), nn.Linear(128, classes))


def build(name, channels, classes, size):
    if name in ("cnn4", "resnet-mini"):
        return reference_model(name, channels, classes)
    import torchvision
    if name in ("vit_t_16", "vit_s_16"):
        width, heads = (192, 3) if name == "vit_t_16" else (384, 6)
        from torchvision.models.vision_transformer import VisionTransformer
        return VisionTransformer(image_size=size, patch_size=16, num_layers=12, num_heads=heads,
                                 hidden_dim=width, mlp_dim=4 * width, num_classes=classes)
    return torchvision.models.__dict__[name](num_classes=classes)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def step(args):
    device = torch.device(args.device)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.backends.cudnn.benchmark = True
    torch.manual_seed(args.seed)
    dtype = torch.bfloat16 if args.precision == "bf16" else torch.float32
    layout = torch.channels_last if args.layout == "channelsLast" else torch.contiguous_format
    model = build(args.model, args.channels, args.classes, args.size).to(device=device, dtype=dtype, memory_format=layout).train()
    images = torch.randn(args.batch, args.channels, args.size, args.size, device=device, dtype=dtype).contiguous(memory_format=layout)
    targets = torch.randint(0, args.classes, (args.batch,), device=device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)

    def steps(count):
        loss = None
        for _ in range(count):
            loss = nn.functional.cross_entropy(model(images).float(), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        sync(device)
        return loss

    steps(args.warmup)
    clock = time.perf_counter()
    loss = steps(args.steps)
    seconds = (time.perf_counter() - clock) / args.steps
    print(f"RESULT impl=pytorch-{torch.__version__} model={args.model} device={args.device} batch={args.batch} size={args.size} "
          f"precision={args.precision} layout={args.layout} last_loss={loss.item():.4f} step_ms={seconds * 1000:.2f} "
          f"images_per_second={args.batch / seconds:.1f}")


def search(args):
    device = torch.device(args.device)
    generator = torch.Generator().manual_seed(args.seed)
    gallery = nn.functional.normalize(torch.randn(args.gallery, args.dim, generator=generator)).to(device)
    queries = nn.functional.normalize(torch.randn(args.queries, args.dim, generator=generator)).to(device)

    def run():
        total = torch.zeros((), dtype=torch.int64, device=device)
        for start in range(0, args.queries, args.chunk):
            _, indices = (queries[start:start + args.chunk] @ gallery.T).topk(args.k, dim=1)
            total += indices[:, 0].sum()
        return total.item()

    run()
    clock = time.perf_counter()
    checksum = run()
    seconds = time.perf_counter() - clock
    print(f"RESULT impl=pytorch-{torch.__version__} search device={args.device} queries={args.queries} gallery={args.gallery} "
          f"dim={args.dim} k={args.k} chunk={args.chunk} seconds={seconds:.4f} top1_checksum={checksum}")


def gemm(args):
    device = torch.device(args.device)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(args.seed)
    a = torch.randn(args.size, args.size, generator=generator).to(device)
    b = torch.randn(args.size, args.size, generator=generator).to(device)
    seconds = []
    for rep in range(args.reps + 1):
        clock = time.perf_counter()
        (a @ b).sum().item()
        if rep > 0:
            seconds.append(time.perf_counter() - clock)
    seconds.sort()
    flops = 2.0 * args.size ** 3
    print(f"RESULT impl=pytorch-{torch.__version__} gemm device={args.device} size={args.size} reps={args.reps} "
          f"threads={torch.get_num_threads()} best_seconds={seconds[0]:.5f} gflops_best={flops / seconds[0] / 1e9:.1f} "
          f"gflops_median={flops / seconds[len(seconds) // 2] / 1e9:.1f}")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("step")
    s.add_argument("--model", required=True)
    s.add_argument("--batch", type=int, default=256)
    s.add_argument("--size", type=int, default=224)
    s.add_argument("--channels", type=int, default=3)
    s.add_argument("--classes", type=int, default=1000)
    s.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    s.add_argument("--layout", choices=["nchw", "channelsLast"], default="nchw")
    s.add_argument("--device", default="cuda")
    s.add_argument("--warmup", type=int, default=5)
    s.add_argument("--steps", type=int, default=20)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--threads", type=int, default=0)
    q = sub.add_parser("search")
    q.add_argument("--queries", type=int, default=10000)
    q.add_argument("--gallery", type=int, default=1000000)
    q.add_argument("--dim", type=int, default=512)
    q.add_argument("--k", type=int, default=100)
    q.add_argument("--chunk", type=int, default=1000)
    q.add_argument("--device", default="cuda")
    g = sub.add_parser("gemm")
    g.add_argument("--size", type=int, default=2048)
    g.add_argument("--reps", type=int, default=20)
    g.add_argument("--threads", type=int, default=0)
    g.add_argument("--device", default="cpu")
    g.add_argument("--seed", type=int, default=1)
    q.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    {"step": step, "search": search, "gemm": gemm}[args.command](args)


if __name__ == "__main__":
    main()
