using System.Text.Json.Nodes;
using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>
/// Two maskable linear layers with scores, logits = W2 relu(W1 x + b1) + b2, and a few seeded batches: enough for
/// every pruning criterion, including Taylor's accumulated cross-entropy gradient.
/// </summary>
internal sealed class TwoLayerNetwork
{
    private readonly Tensor[] inputs;
    private readonly Tensor[] labels;

    public TwoLayerNetwork(long seed)
    {
        random.manual_seed(seed);
        Layers = [new MaskableLinear(6, 5) { LayerName = "features.fc1" }, new MaskableLinear(5, 3) { LayerName = "head.fc2" }];
        foreach (var layer in Layers)
        {
            layer.EnableScores();
        }

        inputs = Enumerable.Range(0, 3).Select(_ => randn(4, 6).DetachFromDisposeScope()).ToArray();
        labels = Enumerable.Range(0, 3).Select(_ => randint(0, 3, [4]).DetachFromDisposeScope()).ToArray();
    }

    public MaskableLinear[] Layers { get; }

    /// <summary>Clears gradients; with <paramref name="quantise"/> rounds weights and scores to one decimal, making ties.</summary>
    public void Reset(bool quantise)
    {
        using var noGrad = no_grad();
        foreach (var layer in Layers)
        {
            layer.Weight.grad = null;
            if (quantise)
            {
                layer.Weight.mul_(10).round_().div_(10);
                layer.Scores!.mul_(10).round_().div_(10);
            }
        }
    }

    /// <summary>What the host's Taylor hook does, here for the given number of this network's batches.</summary>
    public void AccumulateGradients(int batches)
    {
        for (int b = 0; b < Math.Min(batches, inputs.Length); b++)
        {
            using var scope = NewDisposeScope();
            Tensor hidden = Layers[0].call(inputs[b]).relu();
            nn.functional.cross_entropy(Layers[1].call(hidden), labels[b]).backward();
        }
    }

    public JsonObject ToJson(string method, string name, double[] capacities) => new()
    {
        ["method"] = method,
        ["name"] = name,
        ["seed"] = 5,
        ["capacities"] = new JsonArray(capacities.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
        ["layers"] = new JsonArray(Layers.Select(l => (JsonNode)new JsonObject
        {
            ["name"] = l.LayerName,
            ["weight"] = ReferenceJson.Of(l.Weight),
            ["bias"] = ReferenceJson.Of(l.Bias!),
            ["scores"] = ReferenceJson.Of(l.Scores!),
        }).ToArray()),
        ["batches"] = new JsonArray(Enumerable.Range(0, inputs.Length).Select(b => (JsonNode)new JsonObject
        {
            ["input"] = ReferenceJson.Of(inputs[b]),
            ["labels"] = ReferenceJson.Longs(labels[b].data<long>().ToArray()),
        }).ToArray()),
    };
}
