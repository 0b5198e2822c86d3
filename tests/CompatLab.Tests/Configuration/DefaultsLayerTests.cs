using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Protocols;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Configuration;

/// <summary>The defaults that name plugins come from the embedded defaults.json, the lowest layer under the file.</summary>
public sealed class DefaultsLayerTests : IClassFixture<Reliability.ConfigurationFaultTests.Catalog>
{
    private readonly PluginCatalog catalog;

    public DefaultsLayerTests(Reliability.ConfigurationFaultTests.Catalog fixture)
    {
        catalog = fixture.Plugins;
    }

    [Fact]
    public void ASpecBoundFromNothingGetsItsPluginsFromTheDefaultsLayer()
    {
        var spec = ExperimentResolver.BindSpec(new JsonObject(), new ConfigProvenance("e.json"), [], new Dictionary<string, string>());
        var defaults = JsonNode.Parse(DefaultsLayer.Text(), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;

        Assert.Equal((string)defaults["data"]!["split"]!["type"]!, spec.Data.Split.Type);
        Assert.Equal((string)defaults["data"]!["dataset"]!["type"]!, spec.Data.Dataset.Type);
        Assert.Equal((string)defaults["model"]!["backbone"]!["type"]!, spec.Model.Backbone.Type);
        Assert.Equal((string)defaults["tracking"]!["trackers"]![0]!["type"]!, Assert.Single(spec.Tracking.Trackers).Type);
        Assert.Null(spec.Prunnet);
    }

    [Fact]
    public void AnOptionalSectionGetsItsDefaultsOnlyWhenGivenEvenByASet()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }"""));

        var plain = Resolve(file);
        var prunNet = Resolve(file, "new.loss.type=", "prunnet.gradClipNorm=5");

        Assert.False(plain.Resolved.ContainsKey("prunnet"));
        Assert.Empty(plain.Spec.Tracking.Trackers);
        Assert.Equal("conflict-aware", prunNet.Spec.Prunnet!.Integrator.Type);
        Assert.Null(prunNet.Spec.Prunnet.Evaluation);
        Assert.False(((JsonObject)prunNet.Resolved["prunnet"]!).ContainsKey("evaluation"));
        Assert.Equal("learned-score", prunNet.PrunNet!.Evaluation.Criteria.Single().Criterion.Descriptor.Name);
        Assert.Equal("prunnet", prunNet.Protocol.Descriptor.Name);
    }

    [Fact]
    public void TwoProtocolsOwningOneSectionAreRefusedAtLoadNamingBoth()
    {
        using var scratch = new ScratchFolder();
        string directory = FakeProtocolPlugin.Build(scratch.Root, "RivalProtocols", """
            using CompatLab.Abstractions.Plugins;
            using CompatLab.Abstractions.Protocols;

            [CompatLabPlugin(PluginKind.Protocol, "rival", Section = "prunnet")]
            public sealed class Rival : IExperimentProtocol
            {
            }
            """);

        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load([PluginCatalog.DefaultDirectory, directory]));

        Assert.Contains("two protocol plugins own the configuration section 'prunnet': 'prunnet'", error.Message);
        Assert.Contains("'rival' (Rival in", error.Message);
    }

    private ResolvedExperiment Resolve(string file, params string[] sets)
    {
        var document = ExperimentDocument.Load(file);
        return new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, sets, new Dictionary<string, string>(), "run");
    }
}
