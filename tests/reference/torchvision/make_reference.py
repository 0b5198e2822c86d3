"""Writes torchvision reference weights and trunk outputs for CompatLab's equivalence tests.

For each backbone family: a seeded torchvision model with its classifier replaced by an identity (so the output
is the trunk's pooled features), batch-norm statistics and affine weights drawn at random (so eval-mode normalisation is exercised;
the weights are kept below one so that ResNet-50's features stay near 1 and 1e-4 is a meaningful tolerance),
its state dict as NAME.pt, and the input and features of a fixed batch of two images as NAME-io.pt. Also writes
whole-model.pt, a pickled whole model, which CompatLab must refuse with advice to save a state dict.

Usage: /usr/bin/python3 make_reference.py OUT_DIR
"""
import sys
from pathlib import Path

import torch
from torch import nn
from torchvision import models
from torchvision.models.vision_transformer import VisionTransformer

# Sizes kept small so CI stays quick; torchvision's networks accept them (64 px leaves 2x2 at the last stage).
SIDE = 64
TINY_VIT = dict(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=32, mlp_dim=64)


def families():
    yield "resnet18", models.resnet18(), "fc", SIDE
    yield "resnet50", models.resnet50(), "fc", SIDE
    yield "mobilenet_v2", models.mobilenet_v2(), "classifier", SIDE
    yield "mobilenet_v3_small", models.mobilenet_v3_small(), "classifier", SIDE
    yield "vit_tiny", VisionTransformer(**TINY_VIT), "heads", TINY_VIT["image_size"]


def randomise_batch_norm(model):
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-0.2, 0.2)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.data.uniform_(0.2, 0.6)
            module.bias.data.uniform_(-0.2, 0.2)


def main(out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, model, head, side in families():
        torch.manual_seed(0)
        setattr(model, head, nn.Identity())
        with torch.no_grad():
            randomise_batch_norm(model)
            model.eval()
            images = torch.randn(2, 3, side, side)
            features = model(images)
        torch.save(model.state_dict(), out / f"{name}.pt")
        # Cloned: a view (the ViT's class token) would be saved with its whole storage.
        torch.save({"input": images.clone(), "features": features.contiguous().clone()}, out / f"{name}-io.pt")
        print(f"{name}: {tuple(features.shape)} max |feature| {features.abs().max().item():.3f}")
    torch.save(nn.Sequential(nn.Conv2d(3, 4, 3)), out / "whole-model.pt")


if __name__ == "__main__":
    main(sys.argv[1])
