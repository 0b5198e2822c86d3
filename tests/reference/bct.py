"""bct: the new embedding classified by the old model's frozen classifier over all classes of the new training set.
Classes the old classifier has no row for get a synthesised column, the class's mean old embedding with bias 0,
scaled to the mean norm of the trained rows when rescaleSynthesised is on (the default). A cosine old classifier
gives logits scale * cos. New embeddings enter at the old width."""
import torch

from common import cos, cross_entropy, fit_width, tensor
from loss_driver import run_case


class Bct:
    def prepare(self, case):
        old = case["oldClassifier"]
        means = tensor(case["classMeans"])
        trained = tensor(old["weight"])
        trained_bias = tensor(old["bias"]) if old.get("bias") else None
        row_of_class = {c: r for r, c in enumerate(old["classes"])}
        classes = means.shape[0]
        rescale = case["options"].get("RescaleSynthesised", True)
        trained_norm = sum(torch.sqrt((trained[r] ** 2).sum()) for r in range(trained.shape[0])) / trained.shape[0]
        columns, biases = [], []
        for c in range(classes):
            if c in row_of_class:
                columns.append(trained[row_of_class[c]])
                biases.append(trained_bias[row_of_class[c]] if trained_bias is not None else torch.zeros(()))
            else:
                column = means[c]
                if rescale:
                    column = column / torch.sqrt((column ** 2).sum()) * trained_norm
                columns.append(column)
                biases.append(torch.zeros(()))
        self.columns = columns
        self.biases = biases
        self.cosine = old["cosine"]
        self.scale = old["scale"]

    def compute(self, batch):
        width = self.columns[0].shape[0]
        new = fit_width(batch["new"], width)
        rows = []
        for i in range(new.shape[0]):
            if self.cosine:
                rows.append(torch.stack([self.scale * cos(new[i], w) for w in self.columns]))
            else:
                rows.append(torch.stack([(new[i] * w).sum() + b for w, b in zip(self.columns, self.biases)]))
        return cross_entropy(torch.stack(rows), batch["labels"])


def run(case):
    return run_case(case, Bct())
