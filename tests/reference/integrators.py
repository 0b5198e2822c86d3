"""What the three integrators share (docs/methods.md, "Gradient integrators"): task gradients as rows, the
Fisher-Yates shuffle from the back that orders a task's partners, and the conflict telemetry."""
import torch

from common import tensor


def task_rows(case):
    """Per task, a list of rows: one row per output filter when the tensor is merged row-wise, else one row."""
    grads = [tensor(g) for g in case["gradients"]]
    if case["rowWise"]:
        return grads, [[g[r].flatten() for r in range(g.shape[0])] for g in grads]
    return grads, [[g.flatten()] for g in grads]


class Draws:
    """The random source's answers to Next(k + 1), in the order the C# code asked for them."""

    def __init__(self, values):
        self.values = list(values)

    def next(self, bound):
        value = self.values.pop(0)
        assert 0 <= value < bound, f"draw {value} outside [0, {bound})"
        return value

    def check_all_used(self):
        assert not self.values, f"{len(self.values)} draws left unused: the shuffles asked for fewer numbers"


def partner_orders(tasks, draws):
    """For every task in turn, the other tasks shuffled by Fisher-Yates from the back: for k = last..1 swap k with
    a draw in [0, k]."""
    orders = []
    for i in range(tasks):
        others = [j for j in range(tasks) if j != i]
        for k in range(len(others) - 1, 0, -1):
            m = draws.next(k + 1)
            others[k], others[m] = others[m], others[k]
        orders.append(others)
    return orders


def dot(a, b):
    return float((a * b).sum())


def telemetry(rows, weights):
    """conflict_pair_fraction, conflict_row_fraction and weight_i, all on the original gradients."""
    tasks = len(rows)
    pairs = [(i, j) for i in range(tasks) for j in range(i + 1, tasks)]
    values = {}
    if pairs:
        whole = [torch.cat(r) for r in rows]
        values["conflict_pair_fraction"] = sum(1 for i, j in pairs if dot(whole[i], whole[j]) < 0) / len(pairs)
        row_count = len(rows[0])
        conflicting_rows = sum(1 for i, j in pairs for r in range(row_count) if dot(rows[i][r], rows[j][r]) < 0)
        values["conflict_row_fraction"] = conflicting_rows / (len(pairs) * row_count)
    else:
        values["conflict_pair_fraction"] = 0.0
        values["conflict_row_fraction"] = 0.0
    for k, w in enumerate(weights):
        values[f"weight_{k}"] = w
    return values
