"""ndpp: each class pushed from its k nearest old-space neighbours j along u_cj = norm(o_c - o_j), with attention
a_cj = softmax_j(cos(o_c, o_j) / t) over the neighbours and gap g_cj = max(0, cos(o^_c, o^_j) - cos(n^_c, n^_j)) on
centred prototypes; delta_c = beta * sum_j a_cj g_cj u_cj, clipped to eps, recomputed from scratch every refresh.
Classes the new model has not seen have gap 0 and stay out of the new-space centre."""
import math

import torch

from common import cos, norm
from loss_driver import run_case
from prototypes import PerturbedPrototypes, clip


class Ndpp(PerturbedPrototypes):
    def prepare(self, case):
        super().prepare(case)
        options = case["options"]
        self.k = options.get("Neighbours", 5)
        self.t = options.get("Temperature", 0.1)
        self.beta = options.get("Beta", 0.5)

    def next_delta(self, step):
        classes = self.classes
        old_centre = sum(self.o) / classes
        o_hat = [norm(self.o[c] - old_centre) for c in range(classes)]
        seen = [c for c in range(classes) if self.m[c] is not None]
        n = {c: norm(self.m[c]) for c in seen}
        new_centre = sum(n[c] for c in seen) / len(seen) if seen else None
        n_hat = {c: norm(n[c] - new_centre) for c in seen}
        k = min(self.k, classes - 1)
        delta = []
        for c in range(classes):
            others = sorted((j for j in range(classes) if j != c), key=lambda j: -float(cos(self.o[c], self.o[j])))
            neighbours = others[:k]
            weights = [math.exp(float(cos(self.o[c], self.o[j])) / self.t) for j in neighbours]
            push = torch.zeros(self.width)
            for j, w in zip(neighbours, weights):
                attention = w / sum(weights)
                if c in n_hat and j in n_hat:
                    gap = max(0.0, float(cos(o_hat[c], o_hat[j])) - float(cos(n_hat[c], n_hat[j])))
                else:
                    gap = 0.0
                push = push + attention * gap * norm(self.o[c] - self.o[j])
            delta.append(clip(self.beta * push, self.eps))
        return delta, {}


def run(case):
    return run_case(case, Ndpp())
