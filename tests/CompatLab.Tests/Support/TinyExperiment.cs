namespace CompatLab.Tests.Support;

/// <summary>Experiment files small enough to train in seconds: synthetic data, a narrow cnn4, few steps.</summary>
internal static class TinyExperiment
{
    public static string Json(string loss = "bct", string extra = "") => $$"""
        {
          "name": "tiny",
          "seed": 3,
          "threads": 1,
          "output": "runs",
          "data": {
            "dataset": { "type": "synthetic", "options": { "classes": 4, "trainPerClass": 24, "testPerClass": 6, "size": 16 } },
            "split": { "type": "extended-class", "oldClassFraction": 0.5 }
          },
          "model": { "backbone": { "type": "cnn4", "options": { "widths": [4, 4, 8, 8] } }, "embeddingDim": 8 },
          "old": { "training": { "epochs": 2, "batchSize": 8, "logEvery": 2 } },
          "new": { "loss": { "type": "{{loss}}" }, "training": { "epochs": 2, "batchSize": 8, "logEvery": 2 } },
          "checkpoints": { "everySteps": 3 }{{extra}}
        }
        """;

    /// <summary>A PrunNet run of the same size: no old stage, no loss, the given prunnet section.</summary>
    public static string PrunNetJson(string prunNet = """{ "capacities": [1.0, 0.5, 0.25] }""", string output = "runs", string extra = "") => $$"""
        {
          "name": "tinyprun",
          "seed": 3,
          "threads": 1,
          "output": "{{output}}",
          "data": { "dataset": { "type": "synthetic", "options": { "classes": 4, "trainPerClass": 24, "testPerClass": 6, "size": 16 } } },
          "model": { "backbone": { "type": "cnn4", "options": { "widths": [4, 4, 8, 8] } }, "embeddingDim": 8 },
          "new": { "training": { "epochs": 2, "batchSize": 8, "logEvery": 2 } },
          "prunnet": {{prunNet}},
          "tracking": { "trackers": [] },
          "checkpoints": { "everySteps": 3 }{{extra}}
        }
        """;
}
