using System.Text.Json.Nodes;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>
/// Compares what the C# code computed with the reference's outputs, collecting every mismatch so one failing test
/// names all of them. Values agree to <c>rtol</c> relative to the expected tensor's largest entry,
/// <c>|a_i - b_i| &lt;= rtol * max_j |b_j|</c> (and within 1e-10 absolutely, for tensors that should be exactly 0): the
/// C# side computes in float32 as training does, so an entry that is small next to the others carries their rounding
/// error (float32 has about 7 digits), while a sign flip or a missing term changes entries by their own size.
/// </summary>
internal sealed class ReferenceCheck
{
    public const double RelativeTolerance = 1e-5;
    private readonly IReadOnlyDictionary<string, JsonObject> outputs;
    private readonly List<string> problems = [];

    public ReferenceCheck(IReadOnlyDictionary<string, JsonObject> outputs)
    {
        this.outputs = outputs;
    }

    public int Compared { get; private set; }

    public void Expect(string caseName, string key, Tensor actual, double rtol = RelativeTolerance)
    {
        using var scope = NewDisposeScope();
        double[] values = actual.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        Expect(caseName, key, values, actual.shape, rtol);
    }

    public void Expect(string caseName, string key, double actual, double rtol = RelativeTolerance) =>
        Expect(caseName, key, [actual], [], rtol);

    public void Expect(string caseName, string key, double[] actual, long[] shape, double rtol = RelativeTolerance)
    {
        Compared++;
        if (!outputs.TryGetValue(caseName, out JsonObject? caseOutputs) || caseOutputs[key] is not { } node)
        {
            problems.Add($"{caseName}: the reference gave no '{key}'");
            return;
        }

        (double[] expected, long[] expectedShape) = ReferenceJson.Read(node);
        if (expected.Length != actual.Length || (expectedShape.Length > 0 && !expectedShape.SequenceEqual(shape)))
        {
            problems.Add($"{caseName}/{key}: shape [{string.Join(", ", shape)}], reference [{string.Join(", ", expectedShape)}]");
            return;
        }

        double largest = expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        double allowed = Math.Max(rtol * largest, 1e-10);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= allowed))
            {
                problems.Add($"{caseName}/{key}[{i}]: C# {actual[i]:R}, reference {expected[i]:R} (allowed difference {allowed:G3})");
                return;
            }
        }
    }

    /// <summary>Checks how many of the case's output keys end with <paramref name="suffix"/>.</summary>
    public void ExpectKeyCount(string caseName, string suffix, int count)
    {
        Compared++;
        int found = outputs.TryGetValue(caseName, out JsonObject? caseOutputs) ? caseOutputs.Count(p => p.Key.EndsWith(suffix, StringComparison.Ordinal)) : 0;
        if (found != count)
        {
            problems.Add($"{caseName}: {count} output(s) ending in '{suffix}' expected, the reference gave {found}");
        }
    }

    /// <summary>Fails with every mismatch; also fails when a case produced nothing to compare.</summary>
    public void AssertAllAgree()
    {
        Assert.True(Compared > 0, "no value was compared with the reference");
        Assert.True(problems.Count == 0, $"{problems.Count} disagreement(s) with the Python reference:\n{string.Join("\n", problems)}");
    }
}
