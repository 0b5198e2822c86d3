using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Tests.Backbones;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>Small cnn4 retrieval models as the host builds them, and their state dicts in the exchange format.</summary>
internal static class Cnn4Models
{
    public const long Side = 16;
    public const int EmbeddingDim = 8;

    public static RetrievalModel Build(long classes, long seed)
    {
        var settings = new Dictionary<string, string?> { ["widths:0"] = "4", ["widths:1"] = "4", ["widths:2"] = "6", ["widths:3"] = "8" };
        var spec = new ModelSpec { Backbone = new PluginRef("cnn4"), EmbeddingDim = EmbeddingDim };
        return ModelBuilder.Build(BackbonePlugins.Factory("cnn4", settings), (1, Side, Side), spec, classes, seed, CPU);
    }

    public static JsonObject State(nn.Module module)
    {
        var json = new JsonObject();
        foreach ((string name, Tensor value) in module.state_dict())
        {
            json[name] = ReferenceJson.Of(value);
        }

        return json;
    }
}
