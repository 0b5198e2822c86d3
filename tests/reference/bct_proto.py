"""bct-proto: logits s * cos(phi_n(x), o_c) against the normalised old class means o_c of all classes."""
import torch

from common import cos, cross_entropy, fit_width, norm, tensor
from loss_driver import run_case


def prototype_logits(new, prototypes, scale):
    """s * cos(new_i, p_c) for every sample i and class c."""
    return torch.stack([torch.stack([scale * cos(new[i], p) for p in prototypes]) for i in range(new.shape[0])])


class BctProto:
    def prepare(self, case):
        means = tensor(case["classMeans"])
        self.prototypes = [norm(means[c]) for c in range(means.shape[0])]
        self.scale = case["options"].get("Scale", 20.0)

    def compute(self, batch):
        new = fit_width(batch["new"], self.prototypes[0].shape[0])
        return cross_entropy(prototype_logits(new, self.prototypes, self.scale), batch["labels"])


def run(case):
    return run_case(case, BctProto())
