"""hot-refresh: contrastive plus the new features of other-label samples in the denominator."""
from info_nce import info_nce
from loss_driver import run_case


class HotRefresh:
    def prepare(self, case):
        self.tau = case["options"].get("Temperature", 0.05)

    def compute(self, batch):
        return info_nce(batch, self.tau, new_to_new=True)


def run(case):
    return run_case(case, HotRefresh())
