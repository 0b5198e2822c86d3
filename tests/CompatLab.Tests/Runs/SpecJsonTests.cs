using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runs;
using Xunit;

namespace CompatLab.Tests.Runs;

public class SpecJsonTests
{
    [Fact]
    public void SecretsAreMaskedByAttributeAndByName()
    {
        var options = new TrackerLikeOptions { Uri = "http://127.0.0.1:5000", Credential = "s3cr3t", ApiToken = "t0k3n" };
        var spec = new ExperimentSpec();
        spec.Tracking.Trackers.Add(new PluginRef("mlflow"));

        var json = SpecJson.From(spec, p => p.Type == "mlflow" ? options : null)!.ToJsonString();

        Assert.Contains("http://127.0.0.1:5000", json);
        Assert.DoesNotContain("s3cr3t", json);
        Assert.DoesNotContain("t0k3n", json);
        Assert.Contains("\"credential\":\"***\"", json);
        Assert.Contains("\"apiToken\":\"***\"", json);
    }

    [Fact]
    public void FlattenGivesDottedKeysForEveryLeaf()
    {
        var flat = SpecJson.Flatten(SpecJson.From(new ExperimentSpec(), _ => null)).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("128", flat["model.embeddingDim"]);
        Assert.Equal("1", flat["evaluation.recallAtK.0"]);
        Assert.Equal("cosine", flat["old.training.schedule.type"]);
    }

    private sealed class TrackerLikeOptions
    {
        public string Uri { get; set; } = string.Empty;

        [Secret]
        public string Credential { get; set; } = string.Empty;

        public string ApiToken { get; set; } = string.Empty;
    }
}
