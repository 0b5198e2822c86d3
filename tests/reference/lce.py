"""lce: 100 * MSE(norm(W_n), c) + mean_i max(0, r_{y_i} - cos(phi_n(x_i), c_{y_i})), c_y the normalised old class
mean, r_y the running minimum of cos(phi_o(x), c_y) over the old features of the batches seen so far (this one
included). Classifier rows and features are fitted to the old width; the MSE averages every entry."""
import torch

from common import cos, fit_width, norm, tensor
from loss_driver import run_case


class Lce:
    def prepare(self, case):
        means = tensor(case["classMeans"])
        self.centres = [norm(means[c]) for c in range(means.shape[0])]
        self.boundary = {}

    def compute(self, batch):
        ys = batch["labels"]
        old = batch["old"]
        for i, y in enumerate(ys):
            value = float(cos(old[i], self.centres[y]))
            self.boundary[y] = min(self.boundary.get(y, value), value)
        width = self.centres[0].shape[0]
        new = fit_width(batch["new"], width)
        hinge = 0.0
        for i, y in enumerate(ys):
            hinge = hinge + torch.clamp(self.boundary[y] - cos(new[i], self.centres[y]), min=0)
        hinge = hinge / len(ys)
        rows = fit_width(batch["classifier"], width)
        squared = 0.0
        for c, centre in enumerate(self.centres):
            squared = squared + ((norm(rows[c]) - centre) ** 2).sum()
        mse = squared / (len(self.centres) * width)
        return 100 * mse + hinge


def run(case):
    return run_case(case, Lce())
