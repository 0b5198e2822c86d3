using System.Text.Json.Nodes;
using CompatLab.Engine.Pruning;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>
/// BatchNorm recalibration of a masked cnn4 embedding network (every BatchNorm2d and the projector's BatchNorm1d)
/// against the reference: running means, variances and batch counters, with fewer batches than asked for too.
/// </summary>
public class BatchNormRecalibrationReferenceTests
{
    [Fact]
    public void RecalibrationMatchesTheReference()
    {
        using var scope = NewDisposeScope();
        var cases = new[] { Recalibrate("three-of-four", batchCount: 4, maxBatches: 3, capacity: 0.4, seed: 81), Recalibrate("batches-run-out", batchCount: 2, maxBatches: 5, capacity: 0.7, seed: 82) };
        var check = new ReferenceCheck(PythonReference.Run(cases.Select(c => c.Input)));
        foreach (var (input, statistics) in cases)
        {
            foreach ((string key, Tensor value) in statistics)
            {
                check.Expect((string)input["name"]!, key, value);
            }
        }

        check.AssertAllAgree();
    }

    private static (JsonObject Input, Dictionary<string, Tensor> Statistics) Recalibrate(string name, int batchCount, int maxBatches, double capacity, long seed)
    {
        using var model = Cnn4Models.Build(classes: 3, seed);
        var network = model.Network;
        var layers = MaskableLayers.In(network);
        using var ranking = WeightRanking.Build(layers.Select(l => l.Weight.detach().abs()).ToList(), PruningScope.Layer);
        using var masks = LayerMasks.Apply(layers, ranking, capacity);
        using var generator = new Generator((ulong)seed);
        var batches = Enumerable.Range(0, batchCount).Select(b => randn(5, 1, Cnn4Models.Side, Cnn4Models.Side, generator: generator).mul(1 + b).add(b)).ToList();
        var input = new JsonObject
        {
            ["method"] = "bn-recalibration",
            ["name"] = name,
            ["maxBatches"] = maxBatches,
            ["state"] = Cnn4Models.State(model),
            ["masks"] = new JsonObject(layers.Select((l, i) => KeyValuePair.Create(l.LayerName, (JsonNode?)ReferenceJson.Of(masks.Kept[i])))),
            ["batches"] = new JsonArray(batches.Select(b => (JsonNode)ReferenceJson.Of(b)).ToArray()),
        };

        network.eval();
        int used = BatchNormRecalibration.Recalibrate(network, batches, maxBatches);
        Assert.Equal(Math.Min(batchCount, maxBatches), used);
        var statistics = new Dictionary<string, Tensor>();
        foreach ((string key, Tensor value) in model.state_dict().Where(e => e.Key.Contains("running_") || e.Key.Contains("num_batches")))
        {
            statistics[key] = value.detach().clone().DetachFromDisposeScope();
        }

        Assert.Equal(5, network.modules().OfType<BatchNorm>().Count());
        return (input, statistics);
    }
}
