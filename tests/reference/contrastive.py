"""contrastive: InfoNCE with the same image's old feature as positive, other-label old features as negatives."""
from info_nce import info_nce
from loss_driver import run_case


class Contrastive:
    def prepare(self, case):
        self.tau = case["options"].get("Temperature", 0.05)

    def compute(self, batch):
        return info_nce(batch, self.tau, new_to_new=False)


def run(case):
    return run_case(case, Contrastive())
