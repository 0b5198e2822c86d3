using CompatLab.Abstractions.Models;
using CompatLab.Engine.Models;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Training;
using CompatLab.Tests.Integrators;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.PrunNet;

public class MultiCapacityStepTests
{
    [Fact]
    public void WithSumTheMaskedWeightGradientIsOneBackwardOfTheSummedLosses()
    {
        using var scope = NewDisposeScope();
        using var model = PrunNetModels.Tiny(seed: 11);
        var (images, targets) = PrunNetModels.Batch(seed: 12);
        var layers = MaskableLayers.In(model);
        Assert.Equal(ScalarType.Float64, layers[0].Weight.dtype);

        model.zero_grad();
        using (var ranking = StraightThroughMasks.RankScores(layers))
        {
            Tensor total = zeros(1, dtype: ScalarType.Float64);
            foreach (double capacity in PrunNetModels.Capacities)
            {
                using var masks = StraightThroughMasks.Apply(layers, ranking, capacity);
                total = total + Loss(model, images, targets);
            }

            total.backward();
        }

        var expected = layers.Select(l => l.Weight.grad!.clone()).ToList();
        using var step = new MultiCapacityStep(model, PrunNetModels.Capacities, IntegratorPlugins.Create("sum"), 100, seed: 1, device: CPU);

        step.ComputeGradients(images, targets, step: 0);

        for (int l = 0; l < layers.Count; l++)
        {
            Assert.True(expected[l].abs().max().item<double>() > 0, $"layer {layers[l].LayerName} got no gradient");
            double difference = (layers[l].Weight.grad! - expected[l]).abs().max().item<double>();
            Assert.True(difference < 1e-6, $"layer {layers[l].LayerName}: differs by {difference}");
        }
    }

    [Fact]
    public void EachCapacitysScoreGradientIsTheStraightThroughGradientWhereItKeepsTheWeightAndZeroElsewhere()
    {
        using var scope = NewDisposeScope();
        using var model = PrunNetModels.Tiny(seed: 21);
        var (images, targets) = PrunNetModels.Batch(seed: 22);
        var layers = MaskableLayers.In(model);
        var recording = new PrunNetModels.Recording(IntegratorPlugins.Create("sum"));
        var expected = new List<Tensor[]>();
        var kept = new List<Tensor[]>();
        using (var ranking = StraightThroughMasks.RankScores(layers))
        {
            foreach (double capacity in PrunNetModels.Capacities)
            {
                using var masks = StraightThroughMasks.Apply(layers, ranking, capacity);
                var loss = Loss(model, images, targets);
                expected.Add(autograd.grad([loss], layers.Select(l => (Tensor)l.Scores!).ToList()).ToArray());
                kept.Add(masks.Kept.Select(m => m.clone()).ToArray());
            }
        }

        using var step = new MultiCapacityStep(model, PrunNetModels.Capacities, recording, 100, seed: 1, device: CPU);
        step.ComputeGradients(images, targets, step: 0);

        for (int l = 0; l < layers.Count; l++)
        {
            var perTask = recording.Seen[$"{layers[l].LayerName}.scores"];
            Assert.Equal(PrunNetModels.Capacities.Length, perTask.Length);
            for (int k = 0; k < perTask.Length; k++)
            {
                var outside = perTask[k] * (1 - kept[k][l]);
                Assert.Equal(0.0, outside.abs().max().item<double>());
                double difference = (perTask[k] - (expected[k][l] * kept[k][l])).abs().max().item<double>();
                Assert.True(difference < 1e-12, $"layer {layers[l].LayerName}, capacity {PrunNetModels.Capacities[k]}: differs by {difference}");
            }

            Assert.True(perTask[^1].ne(0).sum().item<long>() > 0, "the smallest subnetwork's kept scores get a gradient");
        }
    }

    [Fact]
    public void BatchNormProjectorAndClassifierGetExactlyTheDensePassGradient()
    {
        using var scope = NewDisposeScope();
        using var model = PrunNetModels.Tiny(seed: 31);
        var (images, targets) = PrunNetModels.Batch(seed: 32);
        var masked = MaskableLayers.In(model).SelectMany(l => new[] { l.Weight, l.Scores! }).ToHashSet(ReferenceEqualityComparer.Instance);
        var shared = model.named_parameters().Where(p => !masked.Contains(p.parameter)).ToList();
        Assert.Contains(shared, p => p.name.Contains("projector", StringComparison.Ordinal));
        Assert.Contains(shared, p => p.name.Contains("classifier", StringComparison.Ordinal));
        Assert.Contains(shared, p => p.name.Contains("norm", StringComparison.Ordinal));

        model.zero_grad();
        Loss(model, images, targets).backward();
        var expected = shared.ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        using var step = new MultiCapacityStep(model, PrunNetModels.Capacities, IntegratorPlugins.Create("conflict-aware"), 100, seed: 1, device: CPU);

        step.ComputeGradients(images, targets, step: 0);

        foreach (var (name, parameter) in shared)
        {
            double difference = (parameter.grad! - expected[name]).abs().max().item<double>();
            Assert.True(difference < 1e-12, $"{name}: differs from the dense gradient by {difference}");
        }
    }

    [Fact]
    public void OnlyTheDensePassUpdatesBatchNormRunningStatistics()
    {
        using var scope = NewDisposeScope();
        using var model = PrunNetModels.Tiny(seed: 41);
        var (images, targets) = PrunNetModels.Batch(seed: 42);
        var norms = BatchNormStatistics.In(model);
        Assert.True(norms.Count >= 5);
        var before = Buffers(norms);
        using (no_grad())
        {
            model.forward(images);
        }

        var afterDense = Buffers(norms);
        Restore(norms, before);
        using var step = new MultiCapacityStep(model, PrunNetModels.Capacities, IntegratorPlugins.Create("sum"), 100, seed: 1, device: CPU);

        step.ComputeGradients(images, targets, step: 0);

        var afterStep = Buffers(norms);
        for (int i = 0; i < before.Count; i++)
        {
            Assert.True(Same(afterStep[i], afterDense[i]), $"buffer {i} is not what one dense pass leaves");
        }

        Assert.Contains(Enumerable.Range(0, before.Count), i => !Same(afterDense[i], before[i]));
        Assert.All(norms, n => Assert.Equal(1L, n.num_batches_tracked!.item<long>()));
    }

    [Fact]
    public void RunClipsTheGlobalGradientNormAndStepsScoresToo()
    {
        using var scope = NewDisposeScope();
        using var model = PrunNetModels.Tiny(seed: 51);
        var (images, targets) = PrunNetModels.Batch(seed: 52);
        var layers = MaskableLayers.In(model);
        var scoresBefore = layers.Select(l => l.Scores!.detach().clone()).ToList();
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        using var step = new MultiCapacityStep(model, PrunNetModels.Capacities, IntegratorPlugins.Create("conflict-aware"), 0.01, seed: 1, device: CPU);

        step.Run(optimizer, new TrainingBatch(images, targets, targets, Step: 0, Epoch: 0));

        double norm = Math.Sqrt(model.parameters().Sum(p => p.grad!.square().sum().item<double>()));
        Assert.True(Math.Abs(norm - 0.01) < 1e-9, $"global gradient norm {norm}");
        Assert.Contains(Enumerable.Range(0, layers.Count), l => !Same(layers[l].Scores!, scoresBefore[l]));
        var metrics = step.TakeMetrics(1).ToDictionary(m => m.Name, m => m.Value);
        Assert.Equal(metrics["loss_c1.0"] + metrics["loss_c0.8"] + metrics["loss_c0.5"] + metrics["loss_c0.2"], metrics["loss"], 9);
        Assert.InRange(metrics["integrator.conflict_pair_fraction"], 0, 1);
        Assert.Equal(1.0, metrics["integrator.weight_0"] + metrics["integrator.weight_1"] + metrics["integrator.weight_2"] + metrics["integrator.weight_3"], 9);
    }

    [Fact]
    public void CapacitiesMustStartWithTheDenseNetworkAndDecrease()
    {
        using var model = PrunNetModels.Tiny(seed: 61);

        Assert.Throws<ArgumentException>(() => new MultiCapacityStep(model, [0.8, 1.0], IntegratorPlugins.Create("sum"), 100, 1, CPU));
        Assert.Throws<ArgumentException>(() => new MultiCapacityStep(model, [1.0, 0.5, 0.5], IntegratorPlugins.Create("sum"), 100, 1, CPU));
    }

    private static Tensor Loss(RetrievalModel model, Tensor images, Tensor targets) =>
        nn.functional.cross_entropy(model.Classifier.forward(model.forward(images)), targets);

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static List<Tensor> Buffers(IEnumerable<BatchNorm> norms) =>
        norms.SelectMany(n => new[] { n.running_mean!, n.running_var!, n.num_batches_tracked! }).Select(b => b.clone()).ToList();

    private static void Restore(IEnumerable<BatchNorm> norms, List<Tensor> saved)
    {
        using var noGrad = no_grad();
        var buffers = norms.SelectMany(n => new[] { n.running_mean!, n.running_var!, n.num_batches_tracked! }).ToList();
        for (int i = 0; i < buffers.Count; i++)
        {
            buffers[i].copy_(saved[i]);
        }
    }
}
