"""l2: L_comp = mean_i ||n_i - o_i||^2, n_i and o_i the normalised new (fitted to the old width) and old features."""
from common import fit_width, norm
from loss_driver import run_case


class L2:
    def prepare(self, case):
        pass

    def compute(self, batch):
        old = batch["old"]
        new = fit_width(batch["new"], old.shape[1])
        total = 0.0
        for i in range(len(batch["labels"])):
            diff = norm(new[i]) - norm(old[i])
            total = total + (diff * diff).sum()
        return total / len(batch["labels"])


def run(case):
    return run_case(case, L2())
