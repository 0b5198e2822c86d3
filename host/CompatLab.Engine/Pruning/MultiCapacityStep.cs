using System.Globalization;
using System.Reflection;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Models;
using CompatLab.Engine.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// PrunNet's training step on one module (methods.md 2.2). For every capacity c_k, largest first (c_0 = 1, the
/// dense network): masks at c_k from |S| (per layer, nested, straight-through), a forward pass and
/// <c>L_k = CE(classifier(projector(phi_ck(x))), y)</c>, and its gradients. Masked weights W and scores S keep one
/// gradient per capacity (a score's only where subnetwork k keeps the weight); the integrator merges them per
/// tensor, 4-D convolution weights row by row. Everything else (BatchNorm, projector, classifier, biases) gets the
/// dense pass's gradient alone. Every pass normalises with its own batch statistics, but the running statistics
/// keep what the dense pass left. Then the global gradient norm is clipped and the optimiser steps, scores too.
/// </summary>
public sealed class MultiCapacityStep : ITrainingStep
{
    private readonly RetrievalModel model;
    private readonly IReadOnlyList<double> capacities;
    private readonly IGradientIntegrator integrator;
    private readonly double gradClipNorm;
    private readonly int seed;
    private readonly IReadOnlyList<IMaskableLayer> layers;
    private readonly IReadOnlyList<MaskedTensor> maskedTensors;
    private readonly IReadOnlyList<BatchNorm> norms;
    private const string TelemetryPrefix = LogWindowState.Prefix + "log-telemetry/";
    private readonly Tensor lossSums;
    private readonly Dictionary<string, double> telemetrySums = new(StringComparer.Ordinal);
    private readonly NonFiniteWatch watch;
    private readonly List<Tensor> stepLosses = new();

    /// <param name="capacities">Fractions kept, largest first, starting with 1.0.</param>
    /// <param name="gradClipNorm">Global gradient norm limit; 0 turns clipping off.</param>
    /// <param name="seed">Seeds the integrator's shuffles (one stream per step, so a resumed run shuffles alike).</param>
    public MultiCapacityStep(RetrievalModel model, IReadOnlyList<double> capacities, IGradientIntegrator integrator, double gradClipNorm, int seed, Device device)
    {
        if (capacities.Count == 0 || capacities[0] != 1.0 || capacities.Zip(capacities.Skip(1)).Any(p => p.First <= p.Second))
        {
            throw new ArgumentException($"capacities must start with 1.0 and decrease strictly, got [{string.Join(", ", capacities)}]", nameof(capacities));
        }

        this.model = model;
        this.capacities = capacities.ToList();
        this.integrator = integrator;
        this.gradClipNorm = gradClipNorm;
        this.seed = seed;
        layers = MaskableLayers.In(model);
        if (layers.Count == 0)
        {
            throw new CompatLabUserException("PrunNet training needs a backbone with maskable layers; this one has none");
        }

        maskedTensors = layers.SelectMany((layer, l) => new[]
        {
            new MaskedTensor($"{layer.LayerName}.weight", layer.Weight, l, IsScore: false),
            new MaskedTensor($"{layer.LayerName}.scores", ScoresOf(layer), l, IsScore: true),
        }).ToList();
        norms = BatchNormStatistics.In(model);
        lossSums = zeros(this.capacities.Count, dtype: ScalarType.Float64, device: device);
        string integratorName = integrator.GetType().GetCustomAttribute<CompatLabPluginAttribute>()?.Name ?? integrator.GetType().Name;
        var terms = this.capacities.Select(c => ($"loss_c{c.ToString("0.0##", CultureInfo.InvariantCulture)}", $"the cross-entropy at capacity {c.ToString(CultureInfo.InvariantCulture)}")).ToList();
        terms.Add(("grad_norm", $"the gradients merged by integrator plugin '{integratorName}'"));
        watch = new NonFiniteWatch(terms, device);
    }

    public IReadOnlyList<double> Capacities => capacities;

    public void Run(optim.Optimizer optimizer, TrainingBatch batch)
    {
        ComputeGradients(batch.Images, batch.Targets, batch.Step);

        // The clipping already computes the total gradient norm, so it is watched for free; without clipping the
        // trainer's check of the weights (at logging steps and before every checkpoint) catches bad gradients.
        double norm = gradClipNorm > 0 ? nn.utils.clip_grad_norm_(model.parameters().Where(p => p.requires_grad), gradClipNorm) : 0;
        watch.Observe(cat(new[] { stack(stepLosses.ToArray()), tensor(new[] { norm }, dtype: stepLosses[0].dtype, device: stepLosses[0].device) }), batch.Step + 1);
        optimizer.step();
    }

    public NonFiniteStep? FirstNonFinite() => watch.Read();

    /// <summary>
    /// Leaves in every parameter's <c>grad</c> what the optimiser will apply (before clipping): merged per-capacity
    /// gradients for masked weights and scores, the dense pass's gradient for the rest. Accumulates losses and
    /// integrator telemetry for <see cref="TakeMetrics"/>.
    /// </summary>
    public void ComputeGradients(Tensor images, Tensor targets, long step)
    {
        stepLosses.Clear();
        using var ranking = StraightThroughMasks.RankScores(layers);
        var perTask = maskedTensors.Select(_ => new List<Tensor>(capacities.Count)).ToArray();
        var inputs = maskedTensors.Select(t => (Tensor)t.Parameter).ToList();

        model.zero_grad();
        using (var dense = StraightThroughMasks.Apply(layers, ranking, capacities[0]))
        {
            var loss = Loss(images, targets, 0);
            loss.backward();
            for (int t = 0; t < maskedTensors.Count; t++)
            {
                perTask[t].Add(KeptOnly(maskedTensors[t], maskedTensors[t].Parameter.grad!.clone(), dense, capacities[0]));
            }
        }

        using (BatchNormStatistics.Keep(norms))
        {
            for (int k = 1; k < capacities.Count; k++)
            {
                using var masks = StraightThroughMasks.Apply(layers, ranking, capacities[k]);
                var loss = Loss(images, targets, k);
                var gradients = autograd.grad(new[] { loss }, inputs);
                for (int t = 0; t < maskedTensors.Count; t++)
                {
                    perTask[t].Add(KeptOnly(maskedTensors[t], gradients[t], masks, capacities[k]));
                }
            }
        }

        Merge(perTask, step);
    }

    public IReadOnlyList<(string Name, double Value)> TakeMetrics(long steps)
    {
        double per = Math.Max(1, steps);
        var sums = lossSums.cpu().data<double>().ToArray();
        lossSums.zero_();
        var values = new List<(string, double)> { ("loss", sums.Sum() / per), ("loss_cls", sums[0] / per) };
        values.AddRange(capacities.Select((c, k) => ($"loss_c{c.ToString("0.0##", CultureInfo.InvariantCulture)}", sums[k] / per)));
        values.AddRange(telemetrySums.Select(p => ($"integrator.{p.Key}", p.Value / per)));
        telemetrySums.Clear();
        return values;
    }

    public void OnEpochStart(int epoch)
    {
    }

    public void OnStepEnd(CompatibilityStepInfo info)
    {
    }

    /// <summary>The logging window's running sums: the losses, and the integrator's telemetry one entry a name.</summary>
    public IReadOnlyDictionary<string, Tensor> SaveState()
    {
        var state = LogWindowState.WithSums(new Dictionary<string, Tensor>(), lossSums);
        foreach (var (key, value) in telemetrySums)
        {
            state[TelemetryPrefix + key] = tensor(value, ScalarType.Float64).DetachFromDisposeScope();
        }

        return state;
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        LogWindowState.RestoreSums(state, lossSums);
        telemetrySums.Clear();
        foreach (var (key, value) in state.Where(kv => kv.Key.StartsWith(TelemetryPrefix, StringComparison.Ordinal)))
        {
            telemetrySums[key[TelemetryPrefix.Length..]] = value.item<double>();
        }
    }

    public void Dispose()
    {
        lossSums.Dispose();
        watch.Dispose();
    }

    private static Parameter ScoresOf(IMaskableLayer layer) => layer.Scores ?? throw new CompatLabUserException(
        $"layer '{layer.LayerName}' has no learned scores; PrunNet training needs a network built with scores");

    private Tensor Loss(Tensor images, Tensor targets, int task)
    {
        var loss = nn.functional.cross_entropy(model.Classifier.forward(model.forward(images)), targets);
        stepLosses.Add(loss.detach());
        using (no_grad())
        {
            lossSums[task].add_(loss.detach().to(ScalarType.Float64));
        }

        return loss;
    }

    /// <summary>A score gradient is kept only where the subnetwork keeps the weight; a weight gradient is zero elsewhere already.</summary>
    private static Tensor KeptOnly(MaskedTensor tensor, Tensor gradient, LayerMasks masks, double capacity) =>
        tensor.IsScore && capacity < 1.0 ? gradient.mul(masks.Kept[tensor.Layer]) : gradient;

    private void Merge(List<Tensor>[] perTask, long step)
    {
        var random = new Random(SeedDerivation.DeriveInt(seed, $"integrator:{step}"));
        var stepTelemetry = new Dictionary<string, double>(StringComparer.Ordinal);
        using var noGrad = no_grad();
        for (int t = 0; t < maskedTensors.Count; t++)
        {
            var parameter = maskedTensors[t].Parameter;
            var context = new GradientIntegrationContext(maskedTensors[t].Name, step, random) { RowWise = parameter.dim() == 4 };
            var merged = integrator.Integrate(perTask[t], context);
            parameter.grad!.copy_(merged.Gradient);
            foreach (var (key, value) in merged.Telemetry)
            {
                stepTelemetry[key] = stepTelemetry.GetValueOrDefault(key) + value;
            }
        }

        // Averaged over tensors for the step; TakeMetrics averages the steps of the logging window.
        foreach (var (key, value) in stepTelemetry)
        {
            telemetrySums[key] = telemetrySums.GetValueOrDefault(key) + (value / maskedTensors.Count);
        }
    }

    /// <summary>A weight or score tensor of a masked layer (layer index into the masks), named for the integrator.</summary>
    private sealed record MaskedTensor(string Name, Parameter Parameter, int Layer, bool IsScore);
}
