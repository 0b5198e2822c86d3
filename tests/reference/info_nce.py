"""The point-to-point InfoNCE that contrastive and hot-refresh share, one sample at a time:
-log( e^{n_i.o_i/tau} / (e^{n_i.o_i/tau} + sum_{k: y_k != y_i} e^{n_i.o_k/tau} [+ sum_{k: y_k != y_i} e^{n_i.n_k/tau}]) )."""
import torch

from common import fit_width, norm


def info_nce(batch, tau, new_to_new):
    old = batch["old"]
    new = fit_width(batch["new"], old.shape[1])
    ys = batch["labels"]
    n = [norm(new[i]) for i in range(len(ys))]
    o = [norm(old[i]) for i in range(len(ys))]
    total = 0.0
    for i in range(len(ys)):
        positive = torch.exp((n[i] * o[i]).sum() / tau)
        denominator = positive
        for k in range(len(ys)):
            if ys[k] != ys[i]:
                denominator = denominator + torch.exp((n[i] * o[k]).sum() / tau)
                if new_to_new:
                    denominator = denominator + torch.exp((n[i] * n[k]).sum() / tau)
        total = total - torch.log(positive / denominator)
    return total / len(ys)
