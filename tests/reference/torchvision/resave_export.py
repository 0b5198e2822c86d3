"""Re-saves a `compatlab export` file the way a PyTorch user keeps weights: torch.save of a state dict.

An optional prefix stands for a wrapper's (DataParallel's "module."), which old.checkpoint.keyMap then strips.

Usage: /usr/bin/python3 resave_export.py MODEL.safetensors OUT.pt [PREFIX]
"""
import sys

import torch

from load_export import load_safetensors


def main(weights_path, out_path, prefix=""):
    state = {prefix + key: tensor.clone() for key, tensor in load_safetensors(weights_path).items()}
    torch.save(state, out_path)


if __name__ == "__main__":
    main(*sys.argv[1:4])
