"""taylor: |W * dL/dW|, dL/dW summed over the given batches. The network of the case is two maskable linear layers,
logits = W2 relu(W1 x + b1) + b2, L = cross-entropy."""
import torch

from common import cross_entropy, labels, tensor
from criteria import scored


def run(case):
    layers = case["layers"]
    weights = [tensor(layer["weight"]).requires_grad_(True) for layer in layers]
    biases = [tensor(layer["bias"]) for layer in layers]
    sums = [torch.zeros_like(w) for w in weights]
    for batch in case["batches"]:
        x = tensor(batch["input"])
        hidden = torch.relu(x @ weights[0].t() + biases[0])
        logits = hidden @ weights[1].t() + biases[1]
        grads = torch.autograd.grad(cross_entropy(logits, labels(batch["labels"])), weights)
        sums = [s + g for s, g in zip(sums, grads)]
    scores = {layer["name"]: (w.detach() * g).abs() for layer, w, g in zip(layers, weights, sums)}
    return scored(case, lambda layer: scores[layer["name"]])
