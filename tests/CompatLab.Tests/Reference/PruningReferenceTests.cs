using System.Text.Json.Nodes;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Pruning;
using CompatLab.Tests.Pruning;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>
/// The four pruning criteria, the weight ranking of both scopes and the straight-through training masks against
/// their references: scores, masks at several capacities (ties, halves, global floors), and the output and weight
/// and score gradients of a masked layer.
/// </summary>
public class PruningReferenceTests
{
    private static readonly double[] Capacities = [1.0, 0.5, 0.3, 0.07, 0.02];

    [Theory]
    [InlineData("learned-score")]
    [InlineData("magnitude")]
    [InlineData("random")]
    [InlineData("taylor")]
    public void CriterionMatchesTheReference(string criterion)
    {
        using var scope = NewDisposeScope();
        var network = new TwoLayerNetwork(seed: 71);
        var cases = new List<(JsonObject Input, IReadOnlyList<Tensor> Scores, Dictionary<string, Tensor> Masks, int Accumulations)>
        {
            Score(criterion, network, "plain", quantise: false),
            Score(criterion, network, "ties", quantise: true),
        };
        var check = new ReferenceCheck(PythonReference.Run(cases.Select(c => c.Input)));
        foreach (var (input, scores, masks, accumulations) in cases)
        {
            string name = (string)input["name"]!;
            for (int l = 0; l < scores.Count; l++)
            {
                check.Expect(name, $"score_{l}", scores[l]);
            }

            foreach ((string key, Tensor mask) in masks)
            {
                check.Expect(name, key, mask);
            }

            // Taylor asks for the gradient once per pruning pass, however many layers it scores.
            Assert.Equal(criterion == "taylor" ? 1 : 0, accumulations);
        }

        check.AssertAllAgree();
    }

    [Fact]
    public void RankingMatchesTheReference()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(73);
        double[] capacities = [1.0, 0.5, 0.25, 0.1, 0.05, 0.01];
        var cases = new[]
        {
            ("integer-ties", new[] { randint(0, 4, [10], generator: generator), randint(0, 4, [6, 10], generator: generator), randint(0, 4, [3], generator: generator) }),
            ("distinct", new[] { rand([10], generator: generator), rand([6, 10], generator: generator), rand([3], generator: generator) }),
            ("all-equal", new[] { ones(7), ones(2, 4) }),
        };
        var inputs = cases.Select(c => new JsonObject
        {
            ["method"] = "ranking",
            ["name"] = c.Item1,
            ["scores"] = new JsonArray(c.Item2.Select(s => (JsonNode)ReferenceJson.Of(s)).ToArray()),
            ["scopes"] = new JsonArray("layer", "global"),
            ["capacities"] = new JsonArray(capacities.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        });
        var check = new ReferenceCheck(PythonReference.Run(inputs));
        foreach (var (name, scores) in cases)
        {
            foreach ((string key, Tensor mask) in Masks(scores.Select(s => s.to(ScalarType.Float32)).ToList(), capacities))
            {
                check.Expect(name, key, mask);
            }
        }

        check.AssertAllAgree();
    }

    [Fact]
    public void StraightThroughMasksMatchTheReference()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(79);
        var linear = new MaskableLinear(5, 4);
        var conv = new MaskableConv2d(2, 3, kernelSize: 3, padding: 1, hasBias: true);
        var cases = new[]
        {
            StraightThrough("linear", linear, randn(6, 5), capacity: 0.4),
            StraightThrough("conv", conv, randn(2, 2, 4, 4), capacity: 0.3),
        };
        var check = new ReferenceCheck(PythonReference.Run(cases.Select(c => c.Input)));
        foreach (var (input, outputs) in cases)
        {
            foreach ((string key, Tensor value) in outputs)
            {
                check.Expect((string)input["name"]!, key, value);
            }
        }

        check.AssertAllAgree();
    }

    private static (JsonObject Input, Dictionary<string, Tensor> Outputs) StraightThrough(string kind, MaskableLayer layer, Tensor input, double capacity)
    {
        layer.EnableScores();
        Tensor upstream;
        Dictionary<string, Tensor> outputs;
        using (var masks = StraightThroughMasks.Apply([layer], capacity))
        {
            Tensor output = layer.call(input);
            upstream = randn_like(output);
            output.mul(upstream).sum().backward();
            outputs = new() { ["output"] = output.detach(), ["mask"] = masks.Kept[0].clone() };
        }

        outputs["grad_weight"] = layer.Weight.grad!;
        outputs["grad_scores"] = layer.Scores!.grad!;
        var json = new JsonObject
        {
            ["method"] = "straight-through",
            ["name"] = kind,
            ["kind"] = kind,
            ["padding"] = 1,
            ["capacity"] = capacity,
            ["weight"] = ReferenceJson.Of(layer.Weight),
            ["scores"] = ReferenceJson.Of(layer.Scores!),
            ["bias"] = layer.Bias is { } bias ? ReferenceJson.Of(bias) : null,
            ["input"] = ReferenceJson.Of(input),
            ["upstream"] = ReferenceJson.Of(upstream),
        };
        return (json, outputs);
    }

    private static (JsonObject Input, IReadOnlyList<Tensor> Scores, Dictionary<string, Tensor> Masks, int Accumulations) Score(
        string criterion, TwoLayerNetwork network, string name, bool quantise)
    {
        network.Reset(quantise);
        IPruningCriterion plugin = PruningPlugins.Create(criterion);
        int accumulations = 0;
        var context = new PruningContext(seed: 5, batches =>
        {
            accumulations++;
            network.AccumulateGradients(batches);
        });
        var scores = network.Layers.Select(layer => plugin.Score(layer, context).detach().clone()).ToList();
        var input = network.ToJson(criterion, $"{criterion}:{name}", Capacities);
        return (input, scores, Masks(scores, Capacities), accumulations);
    }

    private static Dictionary<string, Tensor> Masks(IReadOnlyList<Tensor> scores, double[] capacities)
    {
        var masks = new Dictionary<string, Tensor>();
        foreach ((PruningScope scope, string name) in new[] { (PruningScope.Layer, "layer"), (PruningScope.Global, "global") })
        {
            using var ranking = WeightRanking.Build(scores, scope);
            for (int c = 0; c < capacities.Length; c++)
            {
                for (int l = 0; l < scores.Count; l++)
                {
                    masks[$"mask_{name}_{c}_{l}"] = ranking.Mask(l, capacities[c]);
                }
            }
        }

        return masks;
    }
}
