using CompatLab.Engine.Configuration;
using CompatLab.Engine.Matrix;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Configuration;

public class MatrixExpanderTests
{
    [Fact]
    public void AxesAndSeedsExpandToTheirProductInOrder()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("m.json", """
            { "name": "m", "new": { "loss": { "type": "bct", "options": { "rescaleSynthesised": false } } },
              "matrix": { "axes": { "new.loss": [ { "type": "independent" }, { "type": "bct-proto", "options": { "scale": 10 } } ], "new.lambda": [1, 2] }, "seeds": [1, 2] } }
            """);

        var cells = MatrixExpander.Expand(ExperimentDocument.Load(file));

        Assert.Equal(8, cells.Count);
        Assert.Equal("independent_1_s1", cells[0].Label);
        Assert.Equal("bct-proto_2_s2", cells[^1].Label);
        // An object value replaces the whole section: bct's options must not leak into independent.
        Assert.Null(cells[0].Content["new"]!["loss"]!["options"]);
        Assert.Equal(10, (int)cells[^1].Content["new"]!["loss"]!["options"]!["scale"]!);
        Assert.Equal(2, (int)cells[^1].Content["seed"]!);
        Assert.Null(cells[0].Content["matrix"]);
    }

    [Fact]
    public void NoMatrixSectionIsOneCell()
    {
        using var scratch = new ScratchFolder();
        var cells = MatrixExpander.Expand(ExperimentDocument.Load(scratch.File("e.json", TinyExperiment.Json())));

        Assert.Single(cells);
        Assert.Equal("run", cells[0].Label);
    }

    [Fact]
    public void MalformedMatrixIsAnError()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("m.json", """{ "matrix": { "axis": {}, "seeds": ["one"] } }""");

        var error = Assert.Throws<ConfigException>(() => MatrixExpander.Expand(ExperimentDocument.Load(file)));

        Assert.Contains("matrix.axis: unknown key (did you mean 'axes'?)", error.Message);
        Assert.Contains("matrix.seeds: expected a non-empty list of whole numbers", error.Message);
    }

    [Fact]
    public void IncludeKeepsMatchingCellsAndExcludeDropsThem()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("m.json", """
            { "matrix": { "axes": { "new.loss": [ { "type": "independent" }, { "type": "bct" } ], "new.lambda": [1, 2] },
                          "include": [ { "new.loss": "bct" }, { "new.lambda": 1 } ],
                          "exclude": [ { "new.loss": "bct", "new.lambda": 2 } ] } }
            """);

        var labels = MatrixExpander.Expand(ExperimentDocument.Load(file)).Select(c => c.Label).ToList();

        Assert.Equal(new[] { "independent_1", "bct_1" }, labels);
    }
}
