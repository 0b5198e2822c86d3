"""magnitude: |W|."""
from criteria import scored, weight


def run(case):
    return scored(case, lambda layer: weight(layer).abs())
