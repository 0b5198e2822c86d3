using System.Text.Json.Nodes;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Runs;

public class SequenceProtocolTests
{
    private static DatasetBundle Bundle()
    {
        // 4 classes x 10 images; image i holds the value i so selections can be traced.
        var labels = arange(40, dtype: ScalarType.Int64).remainder(4);
        var images = arange(40, dtype: ScalarType.Float32).reshape(40, 1, 1, 1);
        return new DatasetBundle("t", new LabelledImages(images, labels), new LabelledImages(images.clone(), labels.clone()), new[] { "a", "b", "c", "d" });
    }

    private static SplitSpec Split(string by, params double[] fractions) =>
        new() { Type = "sequence", Sequence = new SequenceSpec { By = by, Fractions = fractions.ToList() } };

    private static HashSet<float> Values(StageData stage) => ((LabelledImages)stage.Images).Images.flatten().data<float>().ToHashSet();

    [Fact]
    public void ByClassEveryModelLearnsMoreOfTheFirstClasses()
    {
        using var data = Bundle();
        var split = Split("class", 0.5, 0.75, 1.0);
        using var first = ProtocolSplit.SequenceStage(data, split, 0, seed: 1);
        using var second = ProtocolSplit.SequenceStage(data, split, 1, seed: 1);
        using var third = ProtocolSplit.SequenceStage(data, split, 2, seed: 1);

        Assert.Equal(new[] { 0, 1 }, first.Classes);
        Assert.Equal(new[] { 0, 1, 2 }, second.Classes);
        Assert.Equal(new[] { 0, 1, 2, 3 }, third.Classes);
        Assert.Equal(new long[] { 20, 30, 40 }, new[] { first, second, third }.Select(s => s.Images.Count));
        Assert.Equal(3, ProtocolSplit.SequenceLength(split));
    }

    [Fact]
    public void ByDataTheSeededSamplesAreNested()
    {
        using var data = Bundle();
        var split = Split("data", 0.3, 0.6, 1.0);
        using var first = ProtocolSplit.SequenceStage(data, split, 0, seed: 7);
        using var second = ProtocolSplit.SequenceStage(data, split, 1, seed: 7);
        using var third = ProtocolSplit.SequenceStage(data, split, 2, seed: 7);

        Assert.Equal(new long[] { 12, 24, 40 }, new[] { first, second, third }.Select(s => s.Images.Count));
        Assert.True(Values(first).IsSubsetOf(Values(second)));
        Assert.True(Values(second).IsSubsetOf(Values(third)));
        Assert.All(new[] { first, second, third }, s => Assert.Equal(new[] { 0, 1, 2, 3 }, s.Classes));
    }

    [Fact]
    public void FractionsThatDoNotAddAClassAreRefused()
    {
        using var data = Bundle();

        var error = Assert.Throws<CompatLabUserException>(() => ProtocolSplit.SequenceStage(data, Split("class", 0.5, 0.6, 1.0), 0, seed: 1));

        Assert.Contains("data.split.sequence.fractions", error.Message);
        Assert.Contains("[2, 2, 4]", error.Message);
    }

    [Theory]
    [InlineData("\"type\": \"sequence\"", "data.split.sequence: data.split.type sequence needs a sequence section")]
    [InlineData("\"type\": \"sequence\", \"sequence\": { \"fractions\": [0.5] }", "data.split.sequence.fractions: expected at least two fractions")]
    [InlineData("\"type\": \"sequence\", \"sequence\": { \"fractions\": [0.6, 0.5] }", "data.split.sequence.fractions: expected strictly growing fractions, got [0.6, 0.5]")]
    [InlineData("\"type\": \"sequence\", \"sequence\": { \"by\": \"clas\", \"fractions\": [0.5, 1] }", "data.split.sequence.by: expected one of class, data, got \"clas\"")]
    [InlineData("\"type\": \"extended-class\", \"sequence\": { \"fractions\": [0.5, 1] }", "data.split.sequence: only used when data.split.type is sequence")]
    public void BadSequenceConfigurationNamesTheKey(string split, string expected)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace("\"type\": \"extended-class\", \"oldClassFraction\": 0.5", split, StringComparison.Ordinal));

        var error = Assert.Throws<ConfigException>(() => Resolve(file));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ExperimentsWithoutASequenceKeepTheirContentHash()
    {
        using var scratch = new ScratchFolder();
        var experiment = Resolve(scratch.File("e.json", TinyExperiment.Json()));

        Assert.False(((JsonObject)experiment.Resolved["data"]!["split"]!).ContainsKey("sequence"));
    }

    [Fact]
    public void SequenceRunTrainsEveryModelAndReportsTheCompatibilityMatrix()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace(
            "\"type\": \"extended-class\", \"oldClassFraction\": 0.5",
            "\"type\": \"sequence\", \"sequence\": { \"by\": \"class\", \"fractions\": [0.5, 0.75, 1.0] }",
            StringComparison.Ordinal));

        var run = CliProcess.Run(scratch.Root, "run", file);

        Assert.True(run.ExitCode == 0, run.Error);
        string folder = Directory.GetDirectories(scratch.PathOf("runs/tiny")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        var result = Engine.Runs.ExperimentRunner.ReadResult(Path.Combine(folder, "results.json"));
        var sequence = result.Sequence!;
        Assert.Equal(new[] { 1, 2, 3 }, sequence.Map.Select(row => row.Count));
        Assert.Equal(result.OldSelf!.Map, sequence.Map[0][0], 12);
        Assert.Equal(result.NewSelf.Map, sequence.Map[2][2], 12);
        Assert.Equal(result.Cross!.Map, sequence.Map[2][0], 12);
        int compatible = new[] { (1, 0), (2, 0), (2, 1) }.Count(p => sequence.Map[p.Item1][p.Item2] >= sequence.Map[p.Item2][p.Item2]);
        Assert.Equal(compatible / 3.0, sequence.AverageCompatibility, 12);
        Assert.Equal(sequence.Map.SelectMany(r => r).Average(), sequence.AverageMultiModelAccuracy, 12);
        Assert.True(File.Exists(Path.Combine(folder, "model-2.bin")));
        Assert.True(File.Exists(Path.Combine(folder, "new-model.bin")));
        Assert.Contains("AC = ", File.ReadAllText(Path.Combine(folder, "results.md")));
        Assert.Contains("sequence: model 3 of 3 learns 96 images of 4 classes", run.Output + run.Error);
    }

    private static ResolvedExperiment Resolve(string file)
    {
        var document = ExperimentDocument.Load(file);
        using var catalog = BuiltInPlugins.Load();
        return new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, Array.Empty<string>(), new Dictionary<string, string>(), "run");
    }
}
