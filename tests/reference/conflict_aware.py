"""conflict-aware: for task i and row r, the partner that decides the row is the conflicting task (negative row
inner product with the original g_i[r]) that comes last in i's shuffled order; the row is projected off that
partner's row, starting from the original g_i[r]. a_i = ((cos(g^_i, g_i) + 1) / 2)^p over the whole tensor (a zero
gradient counts as cosine 1), w_i = a_i / sum a, g = (N+1) * sum_i w_i g^_i."""
import math

import torch

from integrators import Draws, dot, partner_orders, task_rows, telemetry


def run(case):
    grads, rows = task_rows(case)
    p = case["options"].get("P", 0.5)
    draws = Draws(case["draws"])
    orders = partner_orders(len(grads), draws)
    draws.check_all_used()
    projected_rows = []
    for i in range(len(grads)):
        mine = []
        for r, row in enumerate(rows[i]):
            deciding = None
            for j in orders[i]:
                if dot(row, rows[j][r]) < 0:
                    deciding = j
            if deciding is None:
                mine.append(row.clone())
            else:
                partner = rows[deciding][r]
                mine.append(row - dot(row, partner) / dot(partner, partner) * partner)
        projected_rows.append(mine)
    affinities = []
    for i in range(len(grads)):
        original = torch.cat(rows[i])
        projected = torch.cat(projected_rows[i])
        lengths = math.sqrt(dot(original, original) * dot(projected, projected))
        cosine = dot(original, projected) / lengths if lengths > 0 else 1.0
        cosine = min(1.0, max(-1.0, cosine))
        affinities.append(((cosine + 1) / 2) ** p)
    weights = [a / sum(affinities) for a in affinities]
    total = torch.zeros_like(grads[0])
    for i in range(len(grads)):
        total = total + weights[i] * torch.stack(projected_rows[i]).reshape(grads[i].shape)
    total = len(grads) * total
    return {"gradient": total, **telemetry(rows, weights)}
