using System.Text.Json.Nodes;
using CompatLab.Abstractions.Training;
using CompatLab.Tests.Integrators;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>
/// The three gradient integrators against their references: merged gradient and telemetry (conflict fractions,
/// task weights) for random, conflicting, zero and exactly orthogonal task gradients, whole-tensor and row-wise.
/// The C# side's random draws are recorded and handed to the reference, which replays the documented shuffle.
/// </summary>
public class IntegratorReferenceTests
{
    [Fact]
    public void SumMatchesTheReference() => Verify("sum", null);

    [Fact]
    public void PcGradMatchesTheReference() => Verify("pcgrad", null);

    [Fact]
    public void ConflictAwareMatchesTheReference()
    {
        Verify("conflict-aware", null);
        Verify("conflict-aware", new() { ["P"] = 0.0 });
        Verify("conflict-aware", new() { ["P"] = 2.0 });
    }

    private static void Verify(string method, Dictionary<string, object>? options)
    {
        IGradientIntegrator integrator = IntegratorPlugins.Create(method, options);
        var cases = Cases().Select(c => Run(integrator, method, options, c)).ToList();
        var check = new ReferenceCheck(PythonReference.Run(cases.Select(c => c.Input)));
        foreach (var (input, gradient, telemetry) in cases)
        {
            string name = (string)input["name"]!;
            check.Expect(name, "gradient", gradient);
            foreach ((string key, double value) in telemetry)
            {
                check.Expect(name, key, value);
            }

            check.ExpectKeyCount(name, "_fraction", 2);
        }

        check.AssertAllAgree();
    }

    private static (JsonObject Input, Tensor Gradient, IReadOnlyDictionary<string, double> Telemetry) Run(
        IGradientIntegrator integrator, string method, Dictionary<string, object>? options, (string Name, Tensor[] Gradients, bool RowWise, int Seed) c)
    {
        var random = new RecordingRandom(c.Seed);
        var result = integrator.Integrate(c.Gradients, new GradientIntegrationContext("reference.weight", 3, random) { RowWise = c.RowWise });
        var input = new JsonObject
        {
            ["method"] = method,
            ["name"] = $"{method}:{c.Name}:p={options?["P"] ?? "default"}",
            ["options"] = ReferenceJson.Options(options),
            ["rowWise"] = c.RowWise,
            ["gradients"] = new JsonArray(c.Gradients.Select(g => (JsonNode)ReferenceJson.Of(g)).ToArray()),
            ["draws"] = ReferenceJson.Longs(random.Draws.Select(d => (long)d)),
        };
        return (input, result.Gradient.DetachFromDisposeScope(), result.Telemetry);
    }

    private static IEnumerable<(string Name, Tensor[] Gradients, bool RowWise, int Seed)> Cases()
    {
        using var generator = new Generator(61);
        Tensor Random(params long[] shape) => randn(shape, dtype: ScalarType.Float64, generator: generator);
        Tensor Vector(params double[] values) => tensor(values, dtype: ScalarType.Float64);

        yield return ("random-conv-rowwise", [Random(4, 2, 3, 3), Random(4, 2, 3, 3), Random(4, 2, 3, 3)], true, 1);
        yield return ("random-conv-whole", [Random(4, 2, 3, 3), Random(4, 2, 3, 3), Random(4, 2, 3, 3)], false, 2);
        yield return ("five-tasks-rowwise", Enumerable.Range(0, 5).Select(_ => Random(6, 5)).ToArray(), true, 3);
        yield return ("strong-conflicts", [Vector(1, 2, 0, -1), Vector(-2, -1, 1, 1), Vector(0.5, -3, 0, 2)], false, 4);
        yield return ("exactly-orthogonal", [Vector(1, 0, 0), Vector(0, 2, 0), Vector(0, 0, -1)], false, 5);
        yield return ("orthogonal-and-opposed-rows", [Vector(1, 0, 2, 1).reshape(2, 2), Vector(0, 3, -1, -1).reshape(2, 2), Vector(-1, 0, 1, 0).reshape(2, 2)], true, 6);
        yield return ("zero-gradient-task", [Vector(0, 0, 0, 0), Vector(1, -1, 2, 0), Vector(-1, 2, -2, 1)], false, 7);
        yield return ("all-zero", [Vector(0, 0, 0), Vector(0, 0, 0)], false, 8);
        yield return ("single-task", [Random(3, 4)], true, 9);
    }
}

/// <summary>A seeded Random that records every answer to Next(max), so the reference can replay the same shuffles.</summary>
internal sealed class RecordingRandom(int seed) : Random(seed)
{
    public List<int> Draws { get; } = [];

    public override int Next(int maxValue)
    {
        int value = base.Next(maxValue);
        Draws.Add(value);
        return value;
    }
}
