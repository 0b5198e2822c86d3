using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Configuration;

public class ExperimentConfigurationTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    private static ResolvedExperiment Resolve(string file, IEnumerable<string>? sets = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var document = ExperimentDocument.Load(file);
        using var catalog = BuiltInPlugins.Load();
        return new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, sets ?? Array.Empty<string>(), environment ?? NoEnvironment, "run");
    }

    private static ConfigException ResolveFails(string file, IEnumerable<string>? sets = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.Throws<ConfigException>(() => Resolve(file, sets, environment));

    [Fact]
    public void DefaultsFillWhatTheFileLeavesOut()
    {
        using var scratch = new ScratchFolder();
        var experiment = Resolve(scratch.File("e.json", TinyExperiment.Json()));

        Assert.Equal("tiny", experiment.Spec.Name);
        Assert.Equal(8, experiment.Spec.Model.EmbeddingDim);
        Assert.Equal(new[] { 1 }, experiment.Spec.Evaluation.RecallAtK);
        Assert.Equal("sgd", experiment.Spec.New.Training.Optimizer.Type);
        Assert.Equal(4, (int)experiment.Resolved["data"]!["dataset"]!["options"]!["classes"]!);
    }

    [Fact]
    public void UnknownKeyNamesTheFileTheKeyAndTheNearestName()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: ", \"evaluaton\": { \"chunkSize\": 5 }"));

        var error = ResolveFails(file);

        Assert.Contains($"{file}: evaluaton: unknown key (did you mean 'evaluation'?)", error.Message);
    }

    [Fact]
    public void WrongTypeNamesKeyValueAndWhatWasExpected()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace("\"epochs\": 2, \"batchSize\": 8, \"logEvery\": 2 } },\n  \"new\"", "\"epochs\": \"two\", \"batchSize\": 8, \"logEvery\": 2 } },\n  \"new\"", StringComparison.Ordinal));
        file = scratch.File("e.json", System.IO.File.ReadAllText(file).Replace("\"old\": { \"training\": { \"epochs\": 2", "\"old\": { \"training\": { \"epochs\": \"two\"", StringComparison.Ordinal));

        var error = ResolveFails(file);

        Assert.Contains($"{file}: old.training.epochs: expected a whole number, got \"two\"", error.Message);
    }

    [Fact]
    public void UnknownPluginOptionIsReportedUnderThePluginsOptionsKey()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace("\"size\": 16", "\"size\": 16, \"colour\": true", StringComparison.Ordinal));

        var error = ResolveFails(file);

        Assert.Contains($"{file}: data.dataset.options.colour: unknown key", error.Message);
    }

    [Fact]
    public void UnknownPluginNameSuggestsTheNearest()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(loss: "bct-prot"));

        var error = ResolveFails(file);

        Assert.Contains("new.loss.type: unknown loss plugin 'bct-prot' (did you mean 'bct-proto'", error.Message);
        Assert.Contains("available: bct, bct-proto, contrastive, hot-refresh, independent, l2, lce, ndpp, odpp", error.Message);
    }

    [Fact]
    public void MissingRequiredLossIsAnError()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace("\"loss\": { \"type\": \"bct\" }, ", string.Empty, StringComparison.Ordinal));

        var error = ResolveFails(file);

        Assert.Contains("new.loss.type: a value is required here, and none was given", error.Message);
    }

    [Fact]
    public void AllProblemsAreReportedTogether()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: ", \"seeed\": 1"));

        var error = ResolveFails(file, new[] { "threads=-1", "new.training.optimizer.type=adam" });

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains("new.training.optimizer.type: expected one of sgd, adamw, got \"adam\" (did you mean 'adamw'", error.Message);
    }

    [Fact]
    public void DuplicateKeyIsAnError()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: ", \"threads\": 2"));

        var error = Assert.Throws<ConfigException>(() => ExperimentDocument.Load(file));

        Assert.Equal($"{file}: the key 'threads' appears twice in one object; keep one", error.Message);
    }

    [Fact]
    public void ChildFileExtendsBaseAndReplacesListsWhole()
    {
        using var scratch = new ScratchFolder();
        scratch.File("base.json", TinyExperiment.Json().TrimEnd().TrimEnd('}') + ", \"evaluation\": { \"recallAtK\": [1, 5, 10], \"mapAtK\": 7 } }");
        string child = scratch.File("child.json", """{ "extends": "base.json", "name": "child", "evaluation": { "recallAtK": [2] } }""");

        var experiment = Resolve(child);

        Assert.Equal("child", experiment.Spec.Name);
        Assert.Equal(new[] { 2 }, experiment.Spec.Evaluation.RecallAtK);
        Assert.Equal(7, experiment.Spec.Evaluation.MapAtK);
        Assert.Equal(3, experiment.Spec.Seed);
    }

    [Fact]
    public void ProblemsInABaseFileNameTheBaseFile()
    {
        using var scratch = new ScratchFolder();
        string baseFile = scratch.File("base.json", TinyExperiment.Json(extra: ", \"bogus\": 1"));
        string child = scratch.File("child.json", """{ "extends": "base.json" }""");

        var error = ResolveFails(child);

        Assert.Contains($"{baseFile}: bogus: unknown key", error.Message);
    }

    [Fact]
    public void ExtendsCycleIsAnError()
    {
        using var scratch = new ScratchFolder();
        scratch.File("a.json", """{ "extends": "b.json" }""");
        string b = scratch.File("b.json", """{ "extends": "a.json" }""");

        var error = Assert.Throws<ConfigException>(() => ExperimentDocument.Load(b));

        Assert.Contains("cycle", error.Message);
    }

    [Fact]
    public void EnvironmentOverridesTheFileAndSetOverridesTheEnvironment()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());
        var environment = new Dictionary<string, string> { ["COMPATLAB__SEED"] = "11", ["COMPATLAB__EVALUATION__MAPATK"] = "9" };

        var experiment = Resolve(file, new[] { "seed=12" }, environment);

        Assert.Equal(12, experiment.Spec.Seed);
        Assert.Equal(9, experiment.Spec.Evaluation.MapAtK);
    }

    [Fact]
    public void BadOverrideValueNamesWhereItCameFrom()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());

        var fromSet = ResolveFails(file, new[] { "new.lambda=lots" });
        var fromEnvironment = ResolveFails(file, environment: new Dictionary<string, string> { ["COMPATLAB__NEW__LAMBDA"] = "lots" });

        Assert.Contains("--set new.lambda=lots: new.lambda: expected a number, got \"lots\"", fromSet.Message);
        Assert.Contains("environment variable COMPATLAB__NEW__LAMBDA: new.lambda: expected a number", fromEnvironment.Message);
    }

    [Fact]
    public void ContentHashFollowsResultsNotBookkeeping()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());

        string baseline = Resolve(file).ContentHash;

        Assert.Equal(baseline, Resolve(file, new[] { "output=elsewhere", "name=renamed", "checkpoints.everySteps=7" }).ContentHash);
        Assert.NotEqual(baseline, Resolve(file, new[] { "seed=4" }).ContentHash);
        Assert.NotEqual(baseline, Resolve(file, new[] { "new.lambda=0.5" }).ContentHash);
        Assert.Equal(Resolve(file).OldModelKey, Resolve(file, new[] { "new.lambda=0.5" }).OldModelKey);
    }

    [Fact]
    public void InvalidJsonNamesTheFileAndLine()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", "{\n  \"name\": \"x\",\n  \"seed\": \n}");

        var error = Assert.Throws<ConfigException>(() => ExperimentDocument.Load(file));

        Assert.StartsWith($"{file}: not valid JSON (line 4", error.Message);
    }
}
