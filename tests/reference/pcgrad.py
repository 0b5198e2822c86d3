"""pcgrad: each task's gradient meets its partners in its shuffled order; whenever the running projected gradient
has a negative inner product with the partner's (original) gradient it loses its component along it. Whole
tensors; the projected gradients are summed. Telemetry weights 1/(N+1)."""
from integrators import Draws, dot, partner_orders, task_rows, telemetry


def run(case):
    grads, rows = task_rows(case)
    draws = Draws(case["draws"])
    orders = partner_orders(len(grads), draws)
    draws.check_all_used()
    total = None
    for i, g in enumerate(grads):
        projected = g.clone()
        for j in orders[i]:
            inner = dot(projected, grads[j])
            if inner < 0:
                projected = projected - inner / dot(grads[j], grads[j]) * grads[j]
        total = projected if total is None else total + projected
    return {"gradient": total, **telemetry(rows, [1 / len(grads)] * len(grads))}
