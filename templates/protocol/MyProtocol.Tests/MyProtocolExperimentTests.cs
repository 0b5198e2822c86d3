using CompatLab.Abstractions;
using CompatLab.Testing;
using Xunit;

namespace MyProtocol.Tests;

/// <summary>
/// The conformance kit has no checks for protocols (they compose the engine's stages), so the protocol is tested by
/// running it: <see cref="ProtocolExperiment"/> runs a tiny experiment (synthetic data, 4 classes, a narrow cnn4, one
/// epoch, bct) in this process, with this protocol under data.split.type. Each test takes a few seconds.
/// </summary>
public class MyProtocolExperimentTests
{
    [Fact]
    public void ATinyExperimentGivesARowOfFiniteScores()
    {
        using var experiment = ProtocolExperiment.For(typeof(MyProtocol));

        var result = experiment.Run();

        Assert.True(double.IsFinite(result.OldSelf!.Map), $"old self mAP {result.OldSelf.Map}");
        Assert.True(double.IsFinite(result.NewSelf.Map), $"new self mAP {result.NewSelf.Map}");
        Assert.True(double.IsFinite(result.Cross!.Map), $"cross mAP {result.Cross.Map}");
        Assert.True(File.Exists(Path.Combine(result.RunFolder, "results.json")));
        string metrics = string.Join("\n", Directory.GetFiles(result.RunFolder, "*.jsonl", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("eval.cross_unseen.map", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void ARepeatedRunReusesWhatWasTrained()
    {
        using var experiment = ProtocolExperiment.For(typeof(MyProtocol));
        var first = experiment.Run();
        string newModel = Path.Combine(first.RunFolder, "new-model.bin");
        var trainedAt = File.GetLastWriteTimeUtc(newModel);

        // A finished run is found and its row returned as it was.
        var again = experiment.Run();
        Assert.Equal(first.Cross!.Map, again.Cross!.Map);
        Assert.Contains("already finished", experiment.Messages, StringComparison.Ordinal);

        // A run stopped after training (no results yet) resumes: both models are loaded, not trained again.
        File.Delete(Path.Combine(first.RunFolder, "results.json"));
        var resumed = experiment.Run();
        Assert.Equal(first.Cross.Map, resumed.Cross!.Map);
        Assert.Equal(trainedAt, File.GetLastWriteTimeUtc(newModel));
        Assert.Contains("old model: reusing", experiment.Messages, StringComparison.Ordinal);
        Assert.Contains("new model: reusing", experiment.Messages, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckRefusesAnOldStageWithEveryClass()
    {
        using var experiment = ProtocolExperiment.For(typeof(MyProtocol));

        var error = Assert.ThrowsAny<CompatLabUserException>(() => experiment.Run("data.split.oldClassFraction=1"));

        Assert.Contains("data.split.oldClassFraction", error.Message, StringComparison.Ordinal);
        Assert.Contains("never sees", error.Message, StringComparison.Ordinal);
    }
}
