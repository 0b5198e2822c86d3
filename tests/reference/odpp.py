"""odpp: delta minimises mean_bank[CE(s cos(f_o, p), y) + alpha CE(s cos(f_n, p), y)] + mu ||delta||_F^2 subject to
||delta_c|| <= eps, by T steps of Adam (betas 0.9/0.999, bias-corrected, eps 1e-8, fresh state each refresh) over the
whole bank, each step projected onto the eps-balls, warm-started from the previous solution; an empty bank keeps
delta. Reports the objective before the first and after the last step."""
import torch

from bct_proto import prototype_logits
from common import cross_entropy, norm
from loss_driver import run_case
from prototypes import PerturbedPrototypes, clip


class Odpp(PerturbedPrototypes):
    def prepare(self, case):
        super().prepare(case)
        options = case["options"]
        self.steps = options.get("Steps", 20)
        self.lr = options.get("LearningRate", 0.002)
        self.alpha = options.get("Alpha", 1.0)
        self.mu = options.get("Mu", 0.1)

    def objective(self, delta):
        p = [norm(self.o[c] + delta[c]) for c in range(self.classes)]
        old = torch.stack([row[0] for row in self.bank])
        new = torch.stack([row[1] for row in self.bank])
        ys = [row[2] for row in self.bank]
        old_term = cross_entropy(prototype_logits(old, p, self.scale), ys)
        new_term = cross_entropy(prototype_logits(new, p, self.scale), ys)
        penalty = sum((d ** 2).sum() for d in delta)
        return old_term + self.alpha * new_term + self.mu * penalty

    def next_delta(self, step):
        if not self.bank:
            return self.delta, {}
        delta = torch.stack(self.delta).clone()
        first = torch.zeros_like(delta)
        second = torch.zeros_like(delta)
        before = None
        for t in range(1, self.steps + 1):
            variable = delta.clone().requires_grad_(True)
            value = self.objective(list(variable))
            if before is None:
                before = float(value)
            (grad,) = torch.autograd.grad(value, [variable])
            first = 0.9 * first + 0.1 * grad
            second = 0.999 * second + 0.001 * grad * grad
            corrected_first = first / (1 - 0.9 ** t)
            corrected_second = second / (1 - 0.999 ** t)
            moved = delta - self.lr * corrected_first / (torch.sqrt(corrected_second) + 1e-8)
            delta = torch.stack([clip(row, self.eps) for row in moved])
        after = float(self.objective(list(delta)))
        extra = {"objective-before": before if before is not None else after, "objective-after": after}
        return list(delta), extra


def run(case):
    return run_case(case, Odpp())
