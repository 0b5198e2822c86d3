"""Masks from scores (docs/methods.md, "Masks and capacities"): a stable descending order of the scores (equal scores
to the earlier position); layer scope keeps round(c n) (halves up, at least one) per layer; global scope reserves
each layer's top max(1, ceil(0.02 n)) and lets all other weights share one order (ties: earlier layer, then earlier
position) up to round(c N) in all, or the reserved ones alone when they are more. Also the straight-through
training mask m = M + (|S| - |S|.detach()): value M, score gradient sign(S) * W * dL/dW_c."""
import math

import torch

from common import tensor


def keep_count(n, capacity):
    return min(n, max(1, math.floor(capacity * n + 0.5)))


def order_within(values):
    """Positions from the highest score down; equal scores keep their position order."""
    return sorted(range(len(values)), key=lambda i: (-values[i], i))


def layer_masks(scores, capacity):
    masks = []
    for s in scores:
        values = s.flatten().tolist()
        kept = set(order_within(values)[:keep_count(len(values), capacity)])
        masks.append(torch.tensor([1.0 if i in kept else 0.0 for i in range(len(values))]).reshape(s.shape))
    return masks


def global_masks(scores, capacity):
    flat = [s.flatten().tolist() for s in scores]
    reserved = []
    for layer, values in enumerate(flat):
        floor = max(1, math.ceil(0.02 * len(values)))
        reserved += [(layer, i) for i in order_within(values)[:floor]]
    reserved_set = set(reserved)
    rest = [(layer, i) for layer, values in enumerate(flat) for i in range(len(values)) if (layer, i) not in reserved_set]
    rest.sort(key=lambda li: (-flat[li[0]][li[1]], li[0], li[1]))
    total = sum(len(values) for values in flat)
    budget = max(keep_count(total, capacity), len(reserved))
    kept = reserved_set | set(rest[:budget - len(reserved)])
    return [torch.tensor([1.0 if (layer, i) in kept else 0.0 for i in range(len(values))]).reshape(scores[layer].shape)
            for layer, values in enumerate(flat)]


def masks_for(scores, scope, capacity):
    return layer_masks(scores, capacity) if scope == "layer" else global_masks(scores, capacity)


def mask_outputs(scores, scopes, capacities):
    outputs = {}
    for scope in scopes:
        for c_index, capacity in enumerate(capacities):
            for layer, mask in enumerate(masks_for(scores, scope, capacity)):
                outputs[f"mask_{scope}_{c_index}_{layer}"] = mask
    return outputs


def run_ranking(case):
    scores = [tensor(s) for s in case["scores"]]
    return mask_outputs(scores, case["scopes"], case["capacities"])


def run_straight_through(case):
    """A masked linear or 3x3 convolution layer, loss = sum(output * upstream)."""
    weight, scores, x, upstream = (tensor(case[k]) for k in ("weight", "scores", "input", "upstream"))
    bias = tensor(case["bias"]) if case.get("bias") else None
    (mask,) = layer_masks([scores.abs()], case["capacity"])
    masked = (mask * weight).clone().requires_grad_(True)
    if case["kind"] == "linear":
        output = x @ masked.t() + (bias if bias is not None else 0)
    else:
        output = torch.nn.functional.conv2d(x, masked, bias, padding=case["padding"])
    (grad_masked,) = torch.autograd.grad((output * upstream).sum(), [masked])
    return {
        "output": output,
        "mask": mask,
        "grad_weight": mask * grad_masked,
        "grad_scores": torch.sign(scores) * weight * grad_masked,
    }
