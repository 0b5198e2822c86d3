#!/usr/bin/python3
"""PyTorch reference for `compatlab bench train`: the same networks (ResNetNetwork.cs, Cnn4Network.cs, the
host's EmbeddingNetwork and linear classifier), batch, threads and SGD settings, in a plain training loop on eight
random batches in turn of 1x28x28 images and 10 classes.

Usage: /usr/bin/python3 bench/reference/train_step.py --backbone cnn4|resnet-mini [--batch 128] [--warmup 5] [--steps 20]
"""
import argparse
import ctypes
import time

import torch
from torch import nn

EMBEDDING_DIM, CLASSES, SIZE = 128, 10, 28


class ConvNormRelu(nn.Sequential):
    def __init__(self, cin, cout, stride):
        super().__init__(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Cnn4(nn.Module):
    def __init__(self, widths, channels=1):
        super().__init__()
        ins = [channels] + widths[:3]
        self.blocks = nn.ModuleList(ConvNormRelu(i, o, 1) for i, o in zip(ins, widths))
        self.pool = nn.MaxPool2d(2)
        self.out_dim = widths[3]

    def forward(self, x):
        for block in self.blocks[:3]:
            x = self.pool(block(x))
        return self.blocks[3](x).mean((2, 3))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1, self.norm1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.norm2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        hidden = self.norm1(self.conv1(x)).relu_()
        out = self.norm2(self.conv2(hidden))
        out.add_(x if self.shortcut is None else self.shortcut(x))
        return out.relu_()


class ResNetMini(nn.Module):
    def __init__(self, widths, blocks_per_stage=1, channels=1):
        super().__init__()
        self.stem = ConvNormRelu(channels, widths[0], 1)
        layers, cin = [], widths[0]
        for stage, width in enumerate(widths):
            for block in range(blocks_per_stage):
                layers.append(BasicBlock(cin, width, 2 if stage > 0 and block == 0 else 1))
                cin = width
        self.stages = nn.Sequential(*layers)
        self.out_dim = widths[2]

    def forward(self, x):
        return self.stages(self.stem(x)).mean((2, 3))


class RetrievalModel(nn.Module):
    def __init__(self, trunk):
        super().__init__()
        self.trunk = trunk
        self.projector = nn.Linear(trunk.out_dim, EMBEDDING_DIM)
        self.projector_norm = nn.BatchNorm1d(EMBEDDING_DIM)
        self.classifier = nn.Linear(EMBEDDING_DIM, CLASSES)

    def forward(self, x):
        return self.classifier(self.projector_norm(self.projector(self.trunk(x))))


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def heap_fields():
    """glibc's allocator totals, as `compatlab bench train` prints them (NativeHeap.Usage): held and in use, MB."""
    try:
        mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return ""
    mallinfo2.restype = MallInfo2
    info = mallinfo2()
    mb = 1024 * 1024
    return f" heap_held_mb={(info.arena + info.hblkhd) / mb:.0f} heap_in_use_mb={(info.uordblks + info.hblkhd) / mb:.0f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backbone", choices=["cnn4", "resnet-mini"], default="resnet-mini")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    trunk = Cnn4([32, 64, 128, 128]) if args.backbone == "cnn4" else ResNetMini([16, 32, 64])
    model = RetrievalModel(trunk).train()
    # Eight batches in turn, as `compatlab bench train` does (one fixed batch drifts into denormal gradients).
    images = torch.randn(8, args.batch, 1, SIZE, SIZE)
    targets = torch.randint(0, CLASSES, (8, args.batch))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)

    def steps(count):
        for i in range(count):
            loss = nn.functional.cross_entropy(model(images[i % 8]), targets[i % 8])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    steps(args.warmup)
    clock = time.perf_counter()
    steps(args.steps)
    step_seconds = (time.perf_counter() - clock) / args.steps
    print(f"RESULT impl=pytorch-{torch.__version__} backbone={args.backbone} batch={args.batch} warmup={args.warmup} "
          f"steps={args.steps} step_ms={step_seconds * 1000:.2f} images_per_second={args.batch / step_seconds:.1f}"
          f"{heap_fields()}")


if __name__ == "__main__":
    main()
