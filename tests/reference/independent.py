"""independent: L_comp = 0 (docs/methods.md, "Compatibility losses (v1)")."""
import torch

from loss_driver import run_case


class Independent:
    def prepare(self, case):
        pass

    def compute(self, batch):
        # No compatibility term at all: the value is 0 and nothing reaches the new embeddings.
        return torch.zeros(())


def run(case):
    return run_case(case, Independent())
