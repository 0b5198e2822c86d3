"""BatchNorm recalibration: every BatchNorm's running mean and variance become the plain average, over the batches
used (at most B), of the per-batch mean and unbiased variance of its input, computed in train mode under the
current masks; the batch counter is the number of batches used."""
import torch

from common import tensor
from cnn4 import embed


def run(case):
    state = {k: tensor(v) for k, v in case["state"].items()}
    masks = {k: tensor(v) for k, v in case["masks"].items()}
    batches = [tensor(b) for b in case["batches"]][:case["maxBatches"]]
    sums = {}

    def observe(prefix, mean, variance):
        previous = sums.get(prefix, (0, 0))
        sums[prefix] = (previous[0] + mean, previous[1] + variance)

    with torch.no_grad():
        for images in batches:
            embed(state, images, train=True, masks=masks, observe=observe)
    outputs = {}
    for prefix, (mean_sum, variance_sum) in sums.items():
        outputs[prefix + "running_mean"] = mean_sum / len(batches)
        outputs[prefix + "running_var"] = variance_sum / len(batches)
        outputs[prefix + "num_batches_tracked"] = float(len(batches))
    return outputs
