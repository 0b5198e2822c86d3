using System.Text.Json.Nodes;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Losses;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Training;
using CompatLab.Tests.Losses;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>
/// The end-to-end twin: a tiny extended-class run (cnn4, synthetic images, 4 classes of which the old model knows
/// 2) trained by CompatLab's own training step, optimiser, frozen old model, class means and loss plugin, and by the
/// reference (tests/reference/twin.py) from the same initial weights and batches; the losses must agree step by
/// step to 1e-4, for bct and for ndpp (refreshing every 2 steps, so the perturbation takes part).
/// </summary>
public class EndToEndTwinTests
{
    private const int Classes = 4;
    private const int Steps = 6;
    private const int BatchSize = 8;
    private const double LearningRate = 0.05;

    [Theory]
    [InlineData("bct")]
    [InlineData("ndpp")]
    public void TrainingLossesMatchTheReferenceStepByStep(string loss)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(91);
        Tensor labels = arange(48, dtype: ScalarType.Int64).remainder(Classes);
        Tensor images = randn(48, 1, Cnn4Models.Side, Cnn4Models.Side, generator: generator).add(labels.to(ScalarType.Float32).view(-1, 1, 1, 1).mul(0.5));
        long[][] batches = Enumerable.Range(0, Steps).Select(_ => randperm(48, generator: generator).narrow(0, 0, BatchSize).data<long>().ToArray()).ToArray();

        using var frozen = new FrozenOldModel(TrainedOldModel(images, labels), [0, 1]);
        using var fresh = Cnn4Models.Build(Classes, seed: 93);
        var options = loss == "ndpp" ? new Dictionary<string, object> { ["RefreshInterval"] = 2L, ["Beta"] = 2.0 } : new Dictionary<string, object>();
        var input = new JsonObject
        {
            ["method"] = "twin",
            ["name"] = loss,
            ["loss"] = loss,
            ["options"] = ReferenceJson.Options(options),
            ["oldState"] = Cnn4Models.State(frozen.Model),
            ["newState"] = Cnn4Models.State(fresh),
            ["oldClasses"] = ReferenceJson.Longs([0, 1]),
            ["classes"] = Classes,
            ["images"] = ReferenceJson.Of(images),
            ["labels"] = ReferenceJson.Longs(labels.data<long>().ToArray()),
            ["batches"] = new JsonArray(batches.Select(b => (JsonNode)ReferenceJson.Longs(b)).ToArray()),
            ["lr"] = LearningRate,
            ["momentum"] = 0.9,
            ["weightDecay"] = 5e-4,
            ["lambda"] = 1.0,
        };

        var losses = Train(fresh, frozen, LossPlugins.Create(loss, options), images, labels, batches);
        var check = new ReferenceCheck(PythonReference.Run([input]));
        for (int step = 0; step < Steps; step++)
        {
            foreach ((string name, double value) in losses[step])
            {
                check.Expect(loss, $"{name}_{step}", value, rtol: 1e-4);
            }
        }

        check.AssertAllAgree();
    }

    /// <summary>CompatLab's new-model training: ClassificationStep with the loss plugin, the configured SGD, step hooks.</summary>
    private static List<IReadOnlyList<(string Name, double Value)>> Train(
        RetrievalModel model, FrozenOldModel frozen, ICompatibilityLoss loss, Tensor images, Tensor labels, long[][] batches)
    {
        using var data = new LabelledImages(images, labels);
        using var means = ClassMeans.Compute(frozen, data, Classes, CPU);
        loss.Prepare(new CompatibilityContext(frozen, Classes, Cnn4Models.EmbeddingDim, CPU, seed: 1, new RecordingTelemetry(), () => means));
        using var step = new ClassificationStep(model, new CompatibilityTerm(loss, frozen, Lambda: 1.0), CPU);
        using var optimizer = OptimizerFactory.Create(new OptimizerSpec { Lr = LearningRate }, model.parameters());
        model.train();
        var losses = new List<IReadOnlyList<(string Name, double Value)>>();
        for (int s = 0; s < batches.Length; s++)
        {
            using (var stepScope = NewDisposeScope())
            {
                Tensor indices = tensor(batches[s]);
                Tensor batchLabels = labels.index_select(0, indices);
                step.Run(optimizer, new TrainingBatch(images.index_select(0, indices), batchLabels, batchLabels, s, 0));
            }

            losses.Add(step.TakeMetrics(1));
            step.OnStepEnd(new CompatibilityStepInfo(s + 1, 0, batches.Length));
        }

        loss.Dispose();
        return losses;
    }

    /// <summary>An old model on classes 0 and 1, trained a few plain steps so its weights and BatchNorm statistics are its own.</summary>
    private static RetrievalModel TrainedOldModel(Tensor images, Tensor labels)
    {
        var old = Cnn4Models.Build(classes: 2, seed: 92);
        Tensor known = labels.lt(2).nonzero().squeeze(1);
        using var step = new ClassificationStep(old, null, CPU);
        using var optimizer = OptimizerFactory.Create(new OptimizerSpec { Lr = LearningRate }, old.parameters());
        old.train();
        for (int s = 0; s < 4; s++)
        {
            using var stepScope = NewDisposeScope();
            Tensor indices = known.narrow(0, s * 6, 6);
            Tensor batchLabels = labels.index_select(0, indices);
            step.Run(optimizer, new TrainingBatch(images.index_select(0, indices), batchLabels, batchLabels, s, 0));
        }

        return old;
    }
}
