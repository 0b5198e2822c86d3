using CompatLab.Abstractions.Hosting;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Models;
using CompatLab.Tests.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Tests.PrunNet;

/// <summary>A narrow resnet-mini with scores behind the host's projector and classifier, in double precision.</summary>
internal static class PrunNetModels
{
    public static readonly double[] Capacities = [1.0, 0.8, 0.5, 0.2];

    public static RetrievalModel Tiny(long seed)
    {
        var settings = new Dictionary<string, string?> { ["widths:0"] = "4", ["widths:1"] = "4", ["widths:2"] = "8" };
        var model = GlobalTorchRandom.Seeded(seed, () =>
        {
            var trunk = BackbonePlugins.Create("resnet-mini", channels: 1, side: 8, settings: settings, layers: new MaskableLayerFactory(withScores: true));
            return new RetrievalModel(new EmbeddingNetwork(trunk, 6), new ClassifierHead(6, 3, cosine: false, scale: 1));
        });
        model.to(ScalarType.Float64);
        foreach (var (name, child) in model.named_modules())
        {
            if (child is MaskableLayer layer)
            {
                layer.LayerName = name;
            }
        }

        model.train();
        return model;
    }

    public static (Tensor Images, Tensor Targets) Batch(long seed)
    {
        using var generator = new Generator((ulong)seed);
        var images = randn(8, 1, 8, 8, dtype: ScalarType.Float64, generator: generator);
        var targets = randint(0, 3, 8, dtype: ScalarType.Int64, generator: generator);
        return (images, targets);
    }

    /// <summary>Wraps an integrator and keeps a copy of every per-task gradient list it is given, by tensor name.</summary>
    public sealed class Recording : IGradientIntegrator
    {
        private readonly IGradientIntegrator inner;

        public Recording(IGradientIntegrator inner)
        {
            this.inner = inner;
        }

        public Dictionary<string, Tensor[]> Seen { get; } = new();

        public GradientIntegration Integrate(IReadOnlyList<Tensor> taskGradients, GradientIntegrationContext context)
        {
            Seen[context.ParameterName] = taskGradients.Select(g =>
            {
                var copy = g.detach().clone();
                copy.DetachFromDisposeScope();
                return copy;
            }).ToArray();
            return inner.Integrate(taskGradients, context);
        }
    }
}
