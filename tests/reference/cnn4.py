"""The cnn4 retrieval model written out from docs/methods.md ("Models") and the cnn4 description: four blocks of
3x3 convolution (padding 1, no bias) -> BatchNorm2d -> ReLU, a 2x2 max-pool after each of the first three, global
average pooling; then the projector Linear -> BatchNorm1d (the embedding) and a linear classifier. Parameters come
from a C# state dict (names as the host registers them); masks, when given, multiply the convolution weights."""
import torch
import torch.nn.functional as F

BN_EPS = 1e-5
TRUNK = "network.trunk."


def batch_norm(x, state, prefix, train, observe):
    """Train mode normalises with the batch's own mean and (biased) variance; eval mode with the running ones.
    `observe(prefix, mean, unbiased variance)` sees the batch statistics, per channel."""
    dims = [0] if x.dim() == 2 else [0, 2, 3]
    shape = [1, -1] if x.dim() == 2 else [1, -1, 1, 1]
    if train:
        mean = x.mean(dim=dims)
        variance = x.var(dim=dims, unbiased=False)
        if observe:
            count = x.numel() // x.shape[1]
            observe(prefix, mean.detach(), variance.detach() * count / (count - 1))
    else:
        mean = state[prefix + "running_mean"]
        variance = state[prefix + "running_var"]
    normalised = (x - mean.reshape(shape)) / torch.sqrt(variance.reshape(shape) + BN_EPS)
    return normalised * state[prefix + "weight"].reshape(shape) + state[prefix + "bias"].reshape(shape)


def embed(state, images, train, masks=None, observe=None):
    unknown = set(masks or {}) - {f"{TRUNK}block{b}.conv" for b in range(1, 5)}
    assert not unknown, f"masks for layers cnn4 does not have: {sorted(unknown)}"
    x = images
    for block in range(1, 5):
        prefix = f"{TRUNK}block{block}."
        weight = state[prefix + "conv.weight"]
        if masks and prefix + "conv" in masks:
            weight = weight * masks[prefix + "conv"]
        x = F.conv2d(x, weight, padding=1)
        x = torch.relu(batch_norm(x, state, prefix + "norm.", train, observe))
        if block < 4:
            x = F.max_pool2d(x, 2)
    features = x.mean(dim=[2, 3])
    projected = features @ state["network.projector.weight"].t() + state["network.projector.bias"]
    return batch_norm(projected, state, "network.projector_norm.", train, observe)


def classify(state, embeddings):
    return embeddings @ state["classifier.weight"].t() + state["classifier.bias"]
