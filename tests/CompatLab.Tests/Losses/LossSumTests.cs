using System.Text;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using CompatLab.Tests.Support;
using Microsoft.Extensions.Configuration;
using Moq;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>The loss plugin <c>sum</c>, built from configuration through the host's catalog and loss factory.</summary>
public sealed class LossSumTests : IDisposable
{
    private const int Classes = 3;
    private const long Width = 4;
    private readonly PluginCatalog catalog = BuiltInPlugins.Load();

    [Fact]
    public void SumOfBctAndHalfL2EqualsTheWeightedSumOfBothAlone()
    {
        using var scope = NewDisposeScope();
        using var sum = Sum("""[{ "type": "bct", "weight": 1 }, { "type": "l2", "weight": 0.5 }]""");
        using var bct = Alone("bct");
        using var l2 = Alone("l2");
        CompatibilityBatch batch = Batches.Random(Classes, size: 6, Width, seed: 5);
        foreach (var loss in new[] { sum, bct, l2 })
        {
            loss.Prepare(Context(NullTelemetrySink.Instance));
        }

        double expected = bct.Compute(batch).item<float>() + (0.5 * l2.Compute(batch).item<float>());

        Assert.True(sum.NeedsOldEmbeddings, "l2 needs the old embeddings, so the sum does");
        Assert.Equal(expected, sum.Compute(batch).item<float>(), 6);
    }

    [Fact]
    public void EachTermsValueIsReportedUnderTheSumsName()
    {
        using var scope = NewDisposeScope();
        using var sum = Sum("""[{ "type": "bct" }, { "type": "l2", "weight": 0.5 }]""", reportEvery: 2);
        using var l2 = Alone("l2");
        var telemetry = new Mock<ITelemetrySink>();
        sum.Prepare(Context(telemetry.Object));
        l2.Prepare(Context(NullTelemetrySink.Instance));
        CompatibilityBatch first = Batches.Random(Classes, size: 6, Width, seed: 5);
        CompatibilityBatch second = Batches.Random(Classes, size: 6, Width, seed: 6, step: 1);

        for (int step = 1; step <= 2; step++)
        {
            sum.Compute(step == 1 ? first : second);
            sum.OnStepEnd(new CompatibilityStepInfo(step, 0, 10));
        }

        double meanL2 = (l2.Compute(first).item<float>() + l2.Compute(second).item<float>()) / 2;
        telemetry.Verify(t => t.Report("sum/0-bct", It.IsAny<double>(), 2), Times.Once());
        telemetry.Verify(t => t.Report("sum/1-l2", It.Is<double>(v => Math.Abs(v - meanL2) < 1e-5), 2), Times.Once());
        telemetry.Verify(t => t.Report(It.IsAny<string>(), It.IsAny<double>(), 1), Times.Never());
    }

    [Fact]
    public void EachTermsStateRoundTripsUnderItsOwnPrefix()
    {
        using var scope = NewDisposeScope();
        const string Terms = """[{ "type": "lce", "weight": 0.5 }, { "type": "l2" }]""";
        using var trained = Sum(Terms);
        using var resumed = Sum(Terms);
        trained.Prepare(Context(NullTelemetrySink.Instance));
        resumed.Prepare(Context(NullTelemetrySink.Instance));
        trained.Compute(Batches.Random(Classes, size: 6, Width, seed: 5));

        IReadOnlyDictionary<string, Tensor> saved = trained.SaveState();
        Assert.Equal(["0-lce/lce-boundaries", "values/steps", "values/sums"], saved.Keys.Order(StringComparer.Ordinal));
        resumed.LoadState(saved);

        CompatibilityBatch next = Batches.Random(Classes, size: 6, Width, seed: 7, step: 1);
        Assert.Equal(trained.Compute(next).item<float>(), resumed.Compute(next).item<float>());
        Assert.Equal(Batches.ToRows(saved["0-lce/lce-boundaries"].unsqueeze(0)), Batches.ToRows(resumed.SaveState()["0-lce/lce-boundaries"].unsqueeze(0)));
    }

    [Fact]
    public void AResumedSumReportsWhatAnUninterruptedOneReports()
    {
        using var scope = NewDisposeScope();
        var uninterrupted = new Mock<ITelemetrySink>();
        var resumedTelemetry = new Mock<ITelemetrySink>();
        using var whole = Sum("""[{ "type": "l2" }]""", reportEvery: 2);
        using var first = Sum("""[{ "type": "l2" }]""", reportEvery: 2);
        using var resumed = Sum("""[{ "type": "l2" }]""", reportEvery: 2);
        whole.Prepare(Context(uninterrupted.Object));
        first.Prepare(Context(NullTelemetrySink.Instance));
        resumed.Prepare(Context(resumedTelemetry.Object));
        CompatibilityBatch one = Batches.Random(Classes, size: 6, Width, seed: 5);
        CompatibilityBatch two = Batches.Random(Classes, size: 6, Width, seed: 6, step: 1);

        foreach (var (loss, batch, step) in new[] { (whole, one, 1), (whole, two, 2), (first, one, 1) })
        {
            loss.Compute(batch);
            loss.OnStepEnd(new CompatibilityStepInfo(step, 0, 10));
        }

        resumed.LoadState(first.SaveState());
        resumed.Compute(two);
        resumed.OnStepEnd(new CompatibilityStepInfo(2, 0, 10));

        var reported = uninterrupted.Invocations.Single().Arguments;
        resumedTelemetry.Verify(t => t.Report("sum/0-l2", (double)reported[1], 2), Times.Once());
    }

    [Fact]
    public void AStateWithoutATermsKeysIsRefusedNamingTheTerm()
    {
        using var scope = NewDisposeScope();
        using var sum = Sum("""[{ "type": "l2" }, { "type": "lce" }]""");
        sum.Prepare(Context(NullTelemetrySink.Instance));

        var state = new Dictionary<string, Tensor>
        {
            ["0-lce/lce-boundaries"] = ones(Classes),
            ["values/sums"] = zeros(2, dtype: ScalarType.Float64),
            ["values/steps"] = tensor(new[] { 0L }),
        };

        var error = Assert.Throws<CompatLabUserException>(() => sum.LoadState(state));

        Assert.Contains("lce-boundaries", error.Message);
        Assert.Contains("it has none", error.Message);
    }

    [Fact]
    public void WithoutTermsTheSumIsBctAlone()
    {
        using var scope = NewDisposeScope();
        using var sum = new LossTermFactory(catalog).Create("sum", null, "test");
        using var bct = Alone("bct");
        CompatibilityBatch batch = Batches.Random(Classes, size: 6, Width, seed: 5);
        sum.Prepare(Context(NullTelemetrySink.Instance));
        bct.Prepare(Context(NullTelemetrySink.Instance));

        Assert.False(sum.NeedsOldEmbeddings);
        Assert.Equal(bct.Compute(batch).item<float>(), sum.Compute(batch).item<float>());
    }

    [Theory]
    [InlineData("""[{ "type": "bct" }, { "type": "bcx" }]""", "terms[1]: unknown loss plugin 'bcx' (did you mean 'bct'")]
    [InlineData("""[{ "type": "bct", "weight": -1 }]""", "terms[0].weight' must be a finite number of at least 0; got -1")]
    [InlineData("""[{ "type": "sum" }]""", "terms[0]: a sum cannot be a term of a sum")]
    [InlineData("""[{ "type": "contrastive", "options": { "temperature": "warm" } }]""", "terms[0]: options.temperature")]
    [InlineData("""[{ "type": "contrastive", "options": { "temperature": 0 } }]""", "Option 'temperature' must be a positive finite number")]
    [InlineData("""[{ "type": "l2", "options": { "scale": 2 } }]""", "terms[0]: loss 'l2' takes no options")]
    [InlineData("[]", "Option 'terms' must list at least one loss")]
    public void BadTermsAreRefusedNamingTheTerm(string terms, string expected)
    {
        var error = Assert.ThrowsAny<CompatLabUserException>(() => Sum(terms).Dispose());

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void TinyExperimentTrainsWithASumAndLogsEachTerm()
    {
        using var scratch = new ScratchFolder();
        string output = scratch.PathOf("runs").Replace("\\", "/", StringComparison.Ordinal);
        const string Loss = """{ "type": "sum", "options": { "reportEvery": 2, "terms": [{ "type": "bct" }, { "type": "contrastive", "weight": 0.5, "options": { "temperature": 0.1 } }] } }""";
        string file = scratch.File("e.json", TinyExperiment.Json(loss: "sum", extra: """, "tracking": { "trackers": [] }""")
            .Replace("{ \"type\": \"sum\" }", Loss, StringComparison.Ordinal)
            .Replace("\"output\": \"runs\"", $"\"output\": \"{output}\"", StringComparison.Ordinal));
        using var run = InProcessRun.Open(file);

        var result = run.Run();

        string metrics = File.ReadAllText(Path.Combine(result.RunFolder, "metrics.jsonl"));
        Assert.Equal("sum", result.Loss);
        Assert.Contains("\"sum/0-bct\"", metrics);
        Assert.Contains("\"sum/1-contrastive\"", metrics);
    }

    public void Dispose() => catalog.Dispose();

    private static CompatibilityContext Context(ITelemetrySink telemetry)
    {
        using var generator = new Generator(11);
        Tensor weight = randn(Classes - 1, Width, generator: generator);
        Mock<IOldModel> old = OldModels.Linear(weight, zeros(Classes - 1), 0, 1);
        return OldModels.Context(old.Object, randn(Classes, Width, generator: generator), Width, telemetry);
    }

    /// <summary>The sum as an experiment file's <c>new.loss</c> section makes it: bound, validated, then created.</summary>
    private ICompatibilityLoss Sum(string terms, int reportEvery = 10)
    {
        string json = $$"""{ "loss": { "type": "sum", "options": { "reportEvery": {{reportEvery}}, "terms": {{terms}} } } }""";
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var binder = new ConfigBinder(new ConfigProvenance("test.json"));
        var factory = new PluginFactory(catalog, binder);
        BoundPlugin? bound = factory.Bind(PluginKind.CompatibilityLoss, binder.Bind<PluginRef>(configuration.GetSection("loss")), "new:loss");
        binder.ThrowIfProblems();
        return factory.Create<ICompatibilityLoss>(bound!);
    }

    private ICompatibilityLoss Alone(string type) => new LossTermFactory(catalog).Create(type, null, "test");
}
