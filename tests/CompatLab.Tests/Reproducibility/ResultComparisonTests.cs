using System.Text.Json.Nodes;
using CompatLab.Engine.Reproducibility;
using Xunit;

namespace CompatLab.Tests.Reproducibility;

public class ResultComparisonTests
{
    private const string Original = """{ "label": "bct", "runFolder": "/a", "cross": { "map": 0.5, "recallAt1": 0.25 }, "subnetworks": [ { "capacity": 0.5, "subSelf": { "map": 0.4 } } ] }""";

    [Fact]
    public void ValuesWithinTheToleranceAgreeAndTheRunFolderIsNotAResult()
    {
        var rerun = JsonNode.Parse(Original.Replace("0.5,", "0.5000004,").Replace("\"/a\"", "\"/b\""));
        Assert.Empty(ResultComparison.Compare(JsonNode.Parse(Original), rerun));
    }

    [Fact]
    public void DifferencesAboveTheToleranceAndMissingValuesAreListedWithTheirPaths()
    {
        var rerun = JsonNode.Parse("""{ "label": "bct", "cross": { "map": 0.5001, "recallAt1": 0.25 }, "subnetworks": [ { "capacity": 0.5 } ] }""");

        var differences = ResultComparison.Compare(JsonNode.Parse(Original), rerun);

        Assert.Equal(new[] { "cross.map", "subnetworks[0].subSelf.map" }, differences.Select(d => d.Path));
        Assert.Equal(1e-4, differences[0].Difference!.Value, 9);
        Assert.Null(differences[1].Actual);
        string table = ResultComparison.Table(differences);
        Assert.Contains("| cross.map | 0.5 | 0.5001 | 0.0001 |", table);
        Assert.Contains("| subnetworks[0].subSelf.map | 0.4 | (none) | - |", table);
    }

    [Fact]
    public void TextIsComparedExactly()
    {
        var rerun = JsonNode.Parse(Original.Replace("\"bct\"", "\"l2\""));
        Assert.Equal("label", ResultComparison.Compare(JsonNode.Parse(Original), rerun).Single().Path);
    }
}
