"""Shared helpers of the reference implementations: the JSON tensor format, and the few formulas that
docs/methods.md uses for every method (norm, width fitting, cross-entropy), written out plainly.

Everything is computed in float64, whatever precision the C# side used."""
import torch

torch.set_default_dtype(torch.float64)


def tensor(value):
    """A tensor from the exchange format {"shape": [...], "data": [...]} (row-major), as float64."""
    return torch.tensor(value["data"], dtype=torch.float64).reshape(value["shape"])


def encode(value):
    """A tensor or a number in the exchange format; tensors leave autograd first."""
    if isinstance(value, torch.Tensor):
        value = value.detach().to(torch.float64)
        return {"shape": list(value.shape), "data": value.flatten().tolist()}
    return float(value)


def labels(values):
    return [int(v) for v in values]


def norm(v):
    """v / ||v||, for a vector."""
    return v / torch.sqrt((v * v).sum())


def norm_rows(m):
    return torch.stack([norm(row) for row in m])


def cos(a, b):
    return (norm(a) * norm(b)).sum()


def fit_width(x, width):
    """New features at the old width: the first `width` dimensions, or zero-padded (docs: Widths)."""
    if x.shape[1] >= width:
        return x[:, :width]
    return torch.cat([x, torch.zeros(x.shape[0], width - x.shape[1])], dim=1)


def cross_entropy(logits, ys):
    """mean_i ( -log softmax(logits_i)[y_i] ), written with an explicit log-sum-exp."""
    total = 0.0
    for i, y in enumerate(ys):
        row = logits[i]
        top = row.max().detach()
        total = total + (top + torch.log(torch.exp(row - top).sum())) - row[y]
    return total / len(ys)


def leaf(value):
    """A float64 leaf that collects its gradient."""
    return tensor(value).clone().requires_grad_(True)


def gradient(output, inputs):
    grads = torch.autograd.grad(output, inputs, allow_unused=True)
    return [g if g is not None else torch.zeros_like(x) for g, x in zip(grads, inputs)]
