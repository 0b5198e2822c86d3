"""Loads a `compatlab export` file into torchvision and writes the embeddings of a reference batch.

The same steps as the snippet in docs/backbones.md, with a small safetensors reader because Debian 12 packages
no `safetensors` module (with it installed, `safetensors.torch.load_file` does the same).

Usage: /usr/bin/python3 load_export.py MODEL.safetensors TORCHVISION_NAME IO.pt OUT.pt
"""
import json
import struct
import sys
from pathlib import Path

import torch
from torch import nn
from torchvision import models

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "I64": torch.int64, "I32": torch.int32}


def load_safetensors(path):
    data = Path(path).read_bytes()
    (header_size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_size])
    body = data[8 + header_size:]
    tensors = {}
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=DTYPES[entry["dtype"]])
        tensors[key] = flat.reshape(entry["shape"])
    return tensors


def embedding_model(weights_path, torchvision_name):
    description = json.loads(Path(weights_path).with_suffix(".json").read_text())
    state = load_safetensors(weights_path)
    trunk = getattr(models, torchvision_name)()
    for head in ("fc", "classifier", "heads"):
        if hasattr(trunk, head):
            setattr(trunk, head, nn.Identity())
    trunk.load_state_dict({k[len("trunk."):]: v for k, v in state.items() if k.startswith("trunk.")})
    projector = nn.Linear(description["featureDim"], description["embeddingDim"])
    projector.load_state_dict({k[len("projector."):]: v for k, v in state.items() if k.startswith("projector.")})
    norm = nn.BatchNorm1d(description["embeddingDim"])
    norm.load_state_dict({k[len("projector_norm."):]: v for k, v in state.items() if k.startswith("projector_norm.")})
    return nn.Sequential(trunk, projector, norm).eval()


def main(weights_path, torchvision_name, io_path, out_path):
    model = embedding_model(weights_path, torchvision_name)
    images = torch.load(io_path)["input"]
    with torch.no_grad():
        embeddings = model(images)
    torch.save({"embeddings": embeddings.contiguous().clone()}, out_path)


if __name__ == "__main__":
    main(*sys.argv[1:5])
