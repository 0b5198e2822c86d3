"""The end-to-end twin: new-model training of an extended-class run, from the same initial weights and batches as the
C# run. Each step: L = CE(W_n phi_n(x) + b, y) + lambda * L_comp (the new model in train mode, the frozen old model in
eval mode), one backward, one SGD step with momentum and weight decay as PyTorch defines them (d = g + wd p;
buf = d at the first step, then momentum buf + d; p -= lr buf). The compatibility loss is the reference of
tests/reference/, prepared with the old classifier and the old class means over the whole new training set."""
import torch

from common import tensor
from cnn4 import classify, embed
import bct
import ndpp

LOSSES = {"bct": bct.Bct, "ndpp": ndpp.Ndpp}


def run(case):
    old = {k: tensor(v) for k, v in case["oldState"].items()}
    new = {k: tensor(v).requires_grad_(k.endswith(("weight", "bias")) and "running" not in k) for k, v in case["newState"].items()}
    images = tensor(case["images"])
    all_labels = [int(v) for v in case["labels"]]
    with torch.no_grad():
        old_embeddings = embed(old, images, train=False)
    classes = case["classes"]
    means = torch.stack([old_embeddings[[i for i, y in enumerate(all_labels) if y == c]].mean(dim=0) for c in range(classes)])
    loss = LOSSES[case["loss"]]()
    loss.prepare({
        "classMeans": {"shape": list(means.shape), "data": means.flatten().tolist()},
        "options": case["options"],
        "oldClassifier": {
            "weight": {"shape": list(old["classifier.weight"].shape), "data": old["classifier.weight"].flatten().tolist()},
            "bias": {"shape": list(old["classifier.bias"].shape), "data": old["classifier.bias"].flatten().tolist()},
            "classes": case["oldClasses"], "cosine": False, "scale": 1.0,
        },
    })
    trainable = [k for k, v in new.items() if v.requires_grad]
    buffers = {}
    lr, momentum, decay, lam = case["lr"], case["momentum"], case["weightDecay"], case["lambda"]
    outputs = {}
    for step, indices in enumerate(case["batches"]):
        x = images[indices]
        ys = [all_labels[i] for i in indices]
        embeddings = embed(new, x, train=True)
        logits = classify(new, embeddings)
        classification = torch.nn.functional.cross_entropy(logits, torch.tensor(ys))
        compatibility = loss.compute({"labels": ys, "new": embeddings, "old": old_embeddings[indices], "classifier": new["classifier.weight"]})
        total = classification + lam * compatibility
        grads = torch.autograd.grad(total, [new[k] for k in trainable])
        with torch.no_grad():
            for k, g in zip(trainable, grads):
                d = g + decay * new[k]
                buffers[k] = d.clone() if k not in buffers else momentum * buffers[k] + d
                new[k] -= lr * buffers[k]
        if hasattr(loss, "end_step"):
            loss.end_step(step + 1)
        outputs[f"loss_{step}"] = total
        outputs[f"loss_cls_{step}"] = classification
        outputs[f"loss_comp_{step}"] = compatibility
    return outputs
