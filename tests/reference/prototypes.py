"""The machinery ndpp and odpp share (docs/methods.md, "Prototype perturbation"): old prototypes o_c, the moving
average m_c of the new model's batch class means, the FIFO feature bank, the refresh schedule, the pseudo-old
prototypes p_c = norm(o_c + delta_c), the loss CE(s cos(phi_n, p_c), y), the eps clip and the telemetry."""
import torch

from bct_proto import prototype_logits
from common import cos, cross_entropy, fit_width, norm, tensor


def clip(delta_c, eps):
    """A row longer than eps scaled back to length eps."""
    length = torch.sqrt((delta_c ** 2).sum())
    return delta_c * (eps / length) if length > eps else delta_c


class PerturbedPrototypes:
    """Subclasses give next_delta(step) -> ([classes] rows, {extra telemetry})."""

    def prepare(self, case):
        options = case["options"]
        means = tensor(case["classMeans"])
        self.classes, self.width = means.shape
        self.o = [norm(means[c]) for c in range(self.classes)]
        self.delta = [torch.zeros(self.width) for _ in range(self.classes)]
        self.m = [None] * self.classes
        self.momentum = options.get("Momentum", 0.9)
        self.interval = options.get("RefreshInterval", 100)
        self.scale = options.get("Scale", 20.0)
        self.eps = options.get("Eps", 0.3)
        self.bank_size = options.get("BankSize", 4096)
        self.bank = []

    def pseudo_old(self):
        return [norm(self.o[c] + self.delta[c]) for c in range(self.classes)]

    def compute(self, batch):
        new = fit_width(batch["new"], self.width)
        ys = batch["labels"]
        observed = new.detach()
        for c in sorted(set(ys)):
            members = [observed[i] for i, y in enumerate(ys) if y == c]
            batch_mean = sum(members) / len(members)
            if self.m[c] is None:
                self.m[c] = batch_mean
            else:
                self.m[c] = self.momentum * self.m[c] + (1 - self.momentum) * batch_mean
        for i, y in enumerate(ys):
            self.bank.append((batch["old"][i], observed[i], y))
        self.bank = self.bank[-self.bank_size:]
        return cross_entropy(prototype_logits(new, self.pseudo_old(), self.scale), ys)

    def end_step(self, completed):
        if completed < self.interval or completed % self.interval != 0:
            return {}
        self.delta, extra = self.next_delta(completed)
        return {**self.telemetry(), **extra, "delta": torch.stack(self.delta)}

    def telemetry(self):
        lengths = [float(torch.sqrt((d ** 2).sum())) for d in self.delta]
        values = {
            "perturbation-norm-mean": sum(lengths) / len(lengths),
            "perturbation-norm-max": max(lengths),
            "fraction-at-eps": sum(1 for v in lengths if v >= self.eps * (1 - 1e-4)) / len(lengths),
        }
        if self.classes < 2:
            return values
        p = self.pseudo_old()
        before, after = 0.0, 0.0
        for c in range(self.classes):
            nearest = max((j for j in range(self.classes) if j != c), key=lambda j: float(cos(self.o[c], self.o[j])))
            before += float(cos(self.o[c], self.o[nearest]))
            after += float(cos(p[c], p[nearest]))
        values["neighbour-cos-before"] = before / self.classes
        values["neighbour-cos-after"] = after / self.classes
        return values
