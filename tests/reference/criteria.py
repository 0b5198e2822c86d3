"""Runs a pruning criterion's scores through the masks of both scopes."""
from common import tensor
from masks import mask_outputs


def scored(case, score):
    layers = case["layers"]
    scores = [score(layer) for layer in layers]
    outputs = {f"score_{i}": s for i, s in enumerate(scores)}
    outputs.update(mask_outputs(scores, ["layer", "global"], case["capacities"]))
    return outputs


def weight(layer):
    return tensor(layer["weight"])
