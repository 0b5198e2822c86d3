"""random: uniform noise in [0, 1) from a generator seeded with the first 8 bytes of SHA-256("<seed>/<layer name>"),
read as a little-endian integer with the sign bit cleared (how docs/methods.md's "first 8 bytes" is read), drawn
with torch's CPU generator in the weight's dtype (float32 for our layers)."""
import hashlib

import torch

from criteria import scored, weight


def layer_seed(seed, name):
    digest = hashlib.sha256(f"{seed}/{name}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little") & (2 ** 63 - 1)


def run(case):
    def noise(layer):
        generator = torch.Generator().manual_seed(layer_seed(case["seed"], layer["name"]))
        return torch.rand(weight(layer).shape, generator=generator, dtype=torch.float32).to(torch.float64)

    return scored(case, noise)
