using CompatLab.Engine.Configuration;
using CompatLab.Engine.Matrix;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reliability;

/// <summary>Bad configurations from issue 17: each refused before anything runs, blamed on its true source, all at once.</summary>
public class ConfigurationFaultTests : IClassFixture<ConfigurationFaultTests.Catalog>
{
    private readonly PluginCatalog catalog;

    public ConfigurationFaultTests(Catalog fixture)
    {
        catalog = fixture.Plugins;
    }

    [Fact]
    public void NumberWhereTextBelongsIsRefused()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace("\"name\": \"tiny\"", "\"name\": 5", StringComparison.Ordinal));

        Assert.Contains($"{file}: name: expected text (in quotes), got 5", Fails(file).Message);
    }

    [Fact]
    public void ListWhereASectionBelongsIsRefusedInsteadOfLeavingTheDefaults()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: """, "evaluation": []"""));

        Assert.Contains($"{file}: evaluation: expected an object with keys (chunkSize, mapAtK, recallAtK, streamAbove, galleryHalf), got an empty list []", Fails(file).Message);
    }

    [Fact]
    public void EmptyListForTheDataSectionIsRefusedInsteadOfLeavingTheDefaults()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", """{ "name": "x", "data": [], "new": { "loss": { "type": "bct" } } }""");

        Assert.Contains($"{file}: data: expected an object with keys (dataset, split, loader), got an empty list []", Fails(file).Message);
    }

    [Theory]
    [InlineData("1e309")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    [InlineData("\"NaN\"")]
    public void NonFiniteNumbersAreRefused(string value)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace("\"new\": { \"loss\": { \"type\": \"bct\" },", $"\"new\": {{ \"loss\": {{ \"type\": \"bct\" }}, \"lambda\": {value},", StringComparison.Ordinal));

        Assert.Contains($"{file}: new.lambda: expected a finite number, got \"{value.Trim('"')}\"", Fails(file).Message);
    }

    [Fact]
    public void MisspeltKeyGivenBySetIsBlamedOnTheSetNotTheFile()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());

        var error = Fails(file, "new.trainng.epochs=3");

        Assert.Contains("--set new.trainng.epochs=3: new.trainng: unknown key (did you mean 'training'?)", error.Message);
        Assert.DoesNotContain($"{file}: new.trainng", error.Message);
    }

    [Fact]
    public void ListIndexPastTheEndIsRefusedBeforeTraining()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());

        var error = Fails(file, "evaluation.recallAtK.5=3");

        Assert.Contains("--set evaluation.recallAtK.5=3: evaluation.recallAtK.5: the list has no item 4, so item 5 cannot be set", error.Message);
    }

    [Fact]
    public void SetChangesOneItemOfADefaultListKeepingTheRestOfIt()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());

        var experiment = Resolve(file, "tracking.trackers.0.options.experimentName=mine", "evaluation.recallAtK.1=5");

        Assert.Equal("mlflow", Assert.Single(experiment.Spec.Tracking.Trackers).Type);
        Assert.Equal("mine", (string)experiment.Resolved["tracking"]!["trackers"]![0]!["options"]!["experimentName"]!);
        Assert.Equal(new[] { 1, 5 }, experiment.Spec.Evaluation.RecallAtK);
    }

    [Fact]
    public void MatrixKeysCanBeSetFromTheCommandLine()
    {
        using var scratch = new ScratchFolder();
        var document = ExperimentDocument.Load(scratch.File("m.json", TinyExperiment.Json(extra: """, "matrix": { "axes": { "new.lambda": [1, 2] }, "seeds": [1] }""")));

        var rest = document.ApplyMatrixOverrides(new[] { "matrix.seeds=[4,5]", "matrix.axes.new.lambda.1=3", "seed=9" });
        var labels = MatrixExpander.Expand(document).Select(c => c.Label);

        Assert.Equal(new[] { "seed=9" }, rest);
        Assert.Equal(new[] { "1_s4", "1_s5", "3_s4", "3_s5" }, labels);
    }

    [Fact]
    public void UnknownMatrixKeyBySetIsBlamedOnTheSet()
    {
        using var scratch = new ScratchFolder();
        var document = ExperimentDocument.Load(scratch.File("m.json", TinyExperiment.Json()));

        var error = Assert.Throws<ConfigException>(() => document.ApplyMatrixOverrides(new[] { "matrix.seed=[1]" }));

        Assert.Equal("--set matrix.seed=[1]: matrix.seed: unknown key (did you mean 'seeds'?)", error.Message);
    }

    [Fact]
    public void OversizedExperimentFileIsRefusedBeforeParsing()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("big.json", "{ \"name\": \"" + new string('x', 1_100_000) + "\" }");

        var error = Assert.Throws<ConfigException>(() => ExperimentDocument.Load(file));

        Assert.Equal($"{file}: 1.0 MB is more than an experiment file may hold (1 MB); is it the right file?", error.Message);
    }

    [Fact]
    public void UnknownBackboneOptionSuggestsTheNearestAndComesWithTheFilesOtherProblems()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace("\"widths\"", "\"widht\"", StringComparison.Ordinal).Replace("\"seed\": 3", "\"seed\": \"three\"", StringComparison.Ordinal));

        var error = Fails(file);

        Assert.Contains($"{file}: model.backbone.options.widht: unknown key (did you mean 'widths'?)", error.Message);
        Assert.Contains($"{file}: seed: expected a whole number, got \"three\"", error.Message);
    }

    [Fact]
    public void ExtendedBackboneWithoutANewBackboneSaysHowToAskForIt()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace("\"type\": \"extended-class\"", "\"type\": \"extended-backbone\"", StringComparison.Ordinal));

        Assert.Contains($"{file}: data.split.type: extended-backbone trains the new model on another backbone: set new.backbone", Fails(file).Message);
    }

    [Theory]
    [MemberData(nameof(MalformedConfigs.Cases), MemberType = typeof(MalformedConfigs))]
    public void MalformedConfigIsRefusedNamingItsSourceAndKey(string extra, string set, string expected)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: extra));
        string[] sets = set.Length == 0 ? [] : [set];

        var error = Fails(file, sets);

        string source = set.Length == 0 ? file : $"--set {set}";
        Assert.Contains(error.Problems, p => p.StartsWith($"{source}: {expected}", StringComparison.Ordinal));
    }

    private ConfigException Fails(string file, params string[] sets) => Assert.Throws<ConfigException>(() => Resolve(file, sets));

    private ResolvedExperiment Resolve(string file, params string[] sets)
    {
        var document = ExperimentDocument.Load(file);
        return new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, sets, new Dictionary<string, string>(), "run");
    }

    /// <summary>One plugin catalog for every case of the class: loading it is the slow part.</summary>
    public sealed class Catalog : IDisposable
    {
        public PluginCatalog Plugins { get; } = BuiltInPlugins.Load();

        public void Dispose() => Plugins.Dispose();
    }
}
