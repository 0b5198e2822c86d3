"""learned-score: |S|."""
from common import tensor
from criteria import scored


def run(case):
    return scored(case, lambda layer: tensor(layer["scores"]).abs())
