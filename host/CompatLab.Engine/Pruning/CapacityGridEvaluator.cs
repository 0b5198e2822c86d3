using System.Diagnostics;
using System.Globalization;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Data;
using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Models;
using CompatLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// Post-training pruning over a grid of capacities (methods.md §2.3) with the asymmetric-retrieval evaluation of
/// §5. The criterion scores every weight once; each capacity then takes its top share (so the subnetworks are
/// nested), BatchNorm is re-estimated under the mask, and the test set is embedded by the subnetwork and ranked
/// against itself (sub self-test) and against the dense model's gallery (sub-to-dense cross-test). The model is
/// given back as it came: no masks, its trained BatchNorm statistics, no gradients, the same train/eval mode.
/// </summary>
public sealed class CapacityGridEvaluator
{
    private readonly IPruningCriterion criterion;
    private readonly CapacityGridOptions options;
    private readonly Device device;
    private readonly TextWriter messages;

    public CapacityGridEvaluator(IPruningCriterion criterion, CapacityGridOptions options, Device device, TextWriter messages)
    {
        options.ThrowIfInvalid();
        this.criterion = criterion;
        this.options = options;
        this.device = device;
        this.messages = messages;
    }

    /// <param name="model">The trained model, on <c>device</c>; its maskable layers must carry no mask of their own.</param>
    /// <param name="training">Its training data: BatchNorm recalibration and gradient criteria draw batches from it.</param>
    /// <param name="test">Query set = gallery set, each query's own image excluded.</param>
    /// <param name="onSubnetwork">
    /// Called for every capacity while the subnetwork is live (masks set, BatchNorm recalibrated), e.g. to save it.
    /// </param>
    public CapacityGridResult Evaluate(
        RetrievalModel model, StageData training, ISampleSet test, Action<CapacityResult, RetrievalModel, LayerMasks>? onSubnetwork = null)
    {
        var layers = MaskableLayers.In(model);
        if (layers.Count == 0)
        {
            throw new InvalidOperationException("the model has no maskable layers to prune");
        }

        if (layers.FirstOrDefault(l => l.Mask is not null) is { } masked)
        {
            throw new InvalidOperationException($"layer '{masked.LayerName}' already has a mask; evaluate the dense model");
        }

        // Recall@1 is always reported, whatever other ks the run's evaluation asks for.
        var evaluator = new RetrievalEvaluator(new RetrievalEvaluatorOptions
        {
            QueryChunkSize = options.Evaluation.QueryChunkSize,
            MapAtK = options.Evaluation.MapAtK,
            RecallAtK = options.Evaluation.EffectiveRecallKs.Append(1).Distinct().ToList(),
        });
        var batches = new TrainingBatches(training, options.BatchSize, SeedDerivation.Derive(options.Seed, "prune-batches"), device);
        long maskedWeights = layers.Sum(l => l.Weight.numel());
        long networkParameters = NetworkParameters(model);
        bool wasTraining = model.training;
        using var statistics = new BatchNormSnapshot(model);
        try
        {
            using var denseFeatures = model.EmbedAll(test, device);
            var denseSelf = evaluator.Evaluate(denseFeatures, test.Labels, denseFeatures, test.Labels, excludeSelf: true);
            messages.WriteLine(Invariant($"prune: dense self-test mAP {denseSelf.Map:F4} on {test.Count} test images; scoring {maskedWeights} weights in {layers.Count} layers"));

            using var ranking = Rank(model, layers, batches);
            statistics.Restore();
            var results = new List<CapacityResult>();
            foreach (double capacity in options.Capacities)
            {
                var clock = Stopwatch.StartNew();
                var result = EvaluateCapacity(model, layers, ranking, capacity, batches, test, denseFeatures, evaluator, networkParameters, onSubnetwork);
                statistics.Restore();
                results.Add(result);
                messages.WriteLine(Invariant(
                    $"prune: c={capacity:0.###} kept {result.KeptWeights}/{maskedWeights} weights ({100.0 * result.KeptWeights / maskedWeights:F1}%), BatchNorm from {Recalibration(result.RecalibrationBatches)}: sub self mAP {result.SubSelf.Map:F4}, sub-to-dense mAP {result.SubToDense.Map:F4} ({clock.Elapsed.TotalSeconds:F1}s)"));
            }

            return new CapacityGridResult(PruningScopeNames.Name(options.Scope), options.RecalibrationBatches, Scores(denseSelf), results);
        }
        finally
        {
            statistics.Restore();
            model.zero_grad();
            model.train(wasTraining);
        }
    }

    /// <summary>Parameters of the embedding network retrieval runs on: no classifier, no learned scores.</summary>
    public static long NetworkParameters(RetrievalModel model) =>
        model.Network.named_parameters().Where(p => !p.name.EndsWith(".scores", StringComparison.Ordinal)).Sum(p => p.parameter.numel());

    private static string Recalibration(int batches) => batches == 0 ? "the dense model" : Invariant($"{batches} batches");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static RetrievalScores Scores(RetrievalMetrics metrics) =>
        new(metrics.Map, metrics.MapAtK, metrics.K, metrics.RecallAtK[1]);

    private WeightRanking Rank(RetrievalModel model, IReadOnlyList<IMaskableLayer> layers, TrainingBatches batches)
    {
        var context = new PruningContext(SeedDerivation.DeriveInt(options.Seed, "prune-criterion"), count => AccumulateGradients(model, layers, batches, count));
        var requiresGrad = layers.Select(l => l.Weight.requires_grad).ToArray();
        try
        {
            model.zero_grad();
            return WeightRanking.FromCriterion(criterion, layers, context, options.Scope);
        }
        finally
        {
            model.zero_grad();
            for (int l = 0; l < layers.Count; l++)
            {
                layers[l].Weight.requires_grad = requiresGrad[l];
            }
        }
    }

    /// <summary>
    /// The classification loss gradient summed over the first training batches, in eval mode: BatchNorm normalises
    /// with its trained statistics and leaves them as they are.
    /// </summary>
    private static void AccumulateGradients(RetrievalModel model, IReadOnlyList<IMaskableLayer> layers, TrainingBatches batches, int count)
    {
        foreach (var layer in layers)
        {
            layer.Weight.requires_grad = true;
        }

        model.eval();
        foreach (var (images, rows) in batches.Take(count))
        {
            using var scope = NewDisposeScope();
            var logits = model.Classifier.forward(model.forward(images));
            nn.functional.cross_entropy(logits, rows).backward();
        }
    }

    private CapacityResult EvaluateCapacity(
        RetrievalModel model,
        IReadOnlyList<IMaskableLayer> layers,
        WeightRanking ranking,
        double capacity,
        TrainingBatches batches,
        ISampleSet test,
        Tensor denseFeatures,
        RetrievalEvaluator evaluator,
        long networkParameters,
        Action<CapacityResult, RetrievalModel, LayerMasks>? onSubnetwork)
    {
        using var masks = LayerMasks.Apply(layers, ranking, capacity);
        long kept = Enumerable.Range(0, layers.Count).Sum(l => ranking.KeptIn(l, capacity));

        // At c = 1 every weight is kept: the subnetwork is the dense model, trained statistics included.
        int recalibrated = 0;
        if (options.RecalibrationBatches > 0 && kept < ranking.TotalWeights)
        {
            recalibrated = BatchNormRecalibration.Recalibrate(model, batches.Images(options.RecalibrationBatches), options.RecalibrationBatches);
        }

        using var subFeatures = model.EmbedAll(test, device);
        var subSelf = evaluator.Evaluate(subFeatures, test.Labels, subFeatures, test.Labels, excludeSelf: true);
        var subToDense = evaluator.Evaluate(subFeatures, test.Labels, denseFeatures, test.Labels, excludeSelf: true);
        long maskedWeights = ranking.TotalWeights;
        var result = new CapacityResult(
            capacity, kept, maskedWeights, networkParameters, networkParameters - maskedWeights + kept, recalibrated, Scores(subSelf), Scores(subToDense));
        onSubnetwork?.Invoke(result, model, masks);
        return result;
    }
}
