using CompatLab.Engine.Configuration;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.PrunNet;

/// <summary>The prunnet.evaluation section: defaults, mistakes named by key, and which changes retrain.</summary>
public class PrunNetEvaluationConfigTests
{
    private const string TwoCriteria = """
        { "capacities": [1.0, 0.5, 0.25], "evaluation": { "capacities": [0.4, 0.2], "recalibrationBatches": 3,
          "criteria": [ { "criterion": { "type": "magnitude" }, "scope": "global" }, { "criterion": { "type": "taylor", "options": { "batches": 2 } } } ] } }
        """;

    private static ResolvedExperiment Resolve(string file, params string[] sets)
    {
        var document = ExperimentDocument.Load(file);
        using var catalog = BuiltInPlugins.Load();
        return new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, sets, new Dictionary<string, string>(), "run");
    }

    private static string EvaluationFails(string evaluation)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.PrunNetJson($$"""{ "evaluation": {{evaluation}} }"""));
        return Assert.Throws<ConfigException>(() => Resolve(file)).Message;
    }

    [Fact]
    public void AbsentSectionEvaluatesLearnedScoresPerLayerOnTheDefaultGridAndStaysOutOfTheResolvedConfig()
    {
        using var scratch = new ScratchFolder();

        var experiment = Resolve(scratch.File("e.json", TinyExperiment.PrunNetJson("{}")));

        var evaluation = experiment.PrunNet!.Evaluation;
        Assert.Equal(new[] { 1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1 }, evaluation.Capacities);
        Assert.Equal(50, evaluation.RecalibrationBatches);
        var only = Assert.Single(evaluation.Criteria);
        Assert.Equal(("learned-score", PruningScope.Layer), (only.CriterionName, only.Scope));
        Assert.False(experiment.Resolved["prunnet"]!.AsObject().ContainsKey("evaluation"));
    }

    [Fact]
    public void GivenPairsAreBoundInOrderWithTheirOptions()
    {
        using var scratch = new ScratchFolder();

        var experiment = Resolve(scratch.File("e.json", TinyExperiment.PrunNetJson(TwoCriteria)));

        var evaluation = experiment.PrunNet!.Evaluation;
        Assert.Equal(new[] { 0.4, 0.2 }, evaluation.Capacities);
        Assert.Equal(3, evaluation.RecalibrationBatches);
        Assert.Equal(new[] { ("magnitude", "global"), ("taylor", "layer") }, evaluation.Criteria.Select(c => (c.CriterionName, c.ScopeName)));
        Assert.Equal(2, (int)experiment.Resolved["prunnet"]!["evaluation"]!["criteria"]![1]!["criterion"]!["options"]!["batches"]!);
    }

    [Fact]
    public void ChangingOnlyTheEvaluationNamesANewRunButKeepsTheTrainedModel()
    {
        using var scratch = new ScratchFolder();
        var absent = Resolve(scratch.File("a.json", TinyExperiment.PrunNetJson("""{ "capacities": [1.0, 0.5, 0.25] }""")));
        var given = Resolve(scratch.File("b.json", TinyExperiment.PrunNetJson(TwoCriteria)));
        var otherChunks = Resolve(scratch.PathOf("a.json"), "evaluation.chunkSize=7");
        var otherIntegrator = Resolve(scratch.PathOf("a.json"), "prunnet.integrator.type=sum");

        Assert.NotEqual(absent.ContentHash, given.ContentHash);
        Assert.Equal(absent.PrunNet!.ModelKey, given.PrunNet!.ModelKey);
        Assert.Equal(absent.PrunNetModelFolder, given.PrunNetModelFolder);
        Assert.Equal(absent.PrunNet.ModelKey, otherChunks.PrunNet!.ModelKey);
        Assert.NotEqual(absent.PrunNet.ModelKey, otherIntegrator.PrunNet!.ModelKey);
        Assert.NotEqual(absent.PrunNet.ModelKey, Resolve(scratch.PathOf("a.json"), "new.training.epochs=3").PrunNet!.ModelKey);
    }

    [Theory]
    [InlineData("""{ "capacities": [] }""", "prunnet.evaluation.capacities: expected at least one capacity to evaluate")]
    [InlineData("""{ "capacities": [0.5, 0] }""", "prunnet.evaluation.capacities.1: expected a fraction of weights to keep in (0, 1], got 0")]
    [InlineData("""{ "capacities": [0.5, 0.5] }""", "prunnet.evaluation.capacities: capacity 0.5 is listed 2 times")]
    [InlineData("""{ "recalibrationBatches": -1 }""", "prunnet.evaluation.recalibrationBatches: expected 0 (keep the dense BatchNorm statistics) or a positive number of training batches, got -1")]
    [InlineData("""{ "criteria": [] }""", "prunnet.evaluation.criteria: expected at least one")]
    [InlineData("""{ "criteria": [ { "scope": "globl" } ] }""", "prunnet.evaluation.criteria.0.scope: expected one of layer, global, got \"globl\" (did you mean 'global'?)")]
    [InlineData("""{ "criteria": [ { "scope": "layer" }, { "criterion": { "type": "learned-score" } } ] }""", "prunnet.evaluation.criteria.1: learned-score with layer scope is listed twice")]
    [InlineData("""{ "criteria": [ { "criterion": { "type": "magnitud" } } ] }""", "prunnet.evaluation.criteria.0.criterion.type: unknown")]
    [InlineData("""{ "criteria": [ { "criterion": { "type": "taylor", "options": { "batches": 0 } } } ] }""", "prunnet.evaluation.criteria.0.criterion.options:")]
    [InlineData("""{ "capacity": [0.5] }""", "prunnet.evaluation.capacity: unknown key (did you mean 'capacities'?)")]
    public void MistakesNameTheKeyAndTheValue(string evaluation, string expected)
    {
        Assert.Contains(expected, EvaluationFails(evaluation));
    }
}
