using TorchSharp;
using CompatLab.Abstractions.Hosting;
using CompatLab.Abstractions.Models;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Weights;
using static TorchSharp.torch;

namespace CompatLab.Engine.Models;

/// <summary>
/// Builds a seeded retrieval model from a backbone plugin: trunk, projector and classifier on the device. With
/// <c>withScores</c> every maskable layer also gets learnable scores (PrunNet runs); the scores are parameters, so
/// they are in the saved model and its checkpoints, and loading such a model needs the same flag. Seeding and
/// building happen under <see cref="GlobalTorchRandom"/>, so models built at once on several threads still repeat.
/// </summary>
public static class ModelBuilder
{
    public static RetrievalModel Build(
        IBackboneFactory backbone,
        (long Channels, long Height, long Width) input,
        ModelSpec model,
        long classes,
        long seed,
        Device device,
        bool withScores = false)
    {
        var result = GlobalTorchRandom.Seeded(seed, () =>
        {
            var trunk = backbone.Create(new BackboneContext(input.Channels, input.Height, input.Width, new MaskableLayerFactory(withScores)));
            if (model.Pretrained is { } pretrained)
            {
                PretrainedWeights.LoadInto(trunk, pretrained, model.Backbone.Type);
            }

            var network = new EmbeddingNetwork(trunk, model.EmbeddingDim);
            var head = new ClassifierHead(model.EmbeddingDim, classes, model.Classifier.Type == "cosine", model.Classifier.Scale);
            return new RetrievalModel(network, head);
        });
        NameMaskableLayers(result);
        result.to(device);
        return result;
    }

    private static void NameMaskableLayers(nn.Module module)
    {
        foreach (var (name, child) in module.named_modules())
        {
            if (child is MaskableLayer layer)
            {
                layer.LayerName = name;
            }
        }
    }
}
