"""Drives a reference loss the way the trainer drives a plugin: for every step of a case, the loss of the batch
with its gradients with respect to the new embeddings (and the new classifier's weight), then the end-of-step hook
with the number of completed steps. Outputs are keyed by step: loss_0, grad_new_0, ..."""
import torch

from common import gradient, labels, leaf, tensor


def run_case(case, loss):
    """`loss` has prepare(case), compute(batch) -> scalar, and optionally end_step(completed) -> {key: value}."""
    loss.prepare(case)
    outputs = {}
    for k, step in enumerate(case["steps"]):
        new = leaf(step["new"])
        classifier = leaf(step["classifier"]) if step.get("classifier") else None
        batch = {
            "labels": labels(step["labels"]),
            "new": new,
            "old": tensor(step["old"]) if step.get("old") else None,
            "classifier": classifier,
        }
        value = loss.compute(batch)
        outputs[f"loss_{k}"] = value
        inputs = [new] + ([classifier] if classifier is not None else [])
        if value.requires_grad:
            grads = gradient(value, inputs)
        else:
            grads = [torch.zeros_like(x) for x in inputs]
        outputs[f"grad_new_{k}"] = grads[0]
        if classifier is not None:
            outputs[f"grad_classifier_{k}"] = grads[1]
        if hasattr(loss, "end_step"):
            for key, val in loss.end_step(k + 1).items():
                outputs[f"{key}@{k + 1}"] = val
    return outputs
