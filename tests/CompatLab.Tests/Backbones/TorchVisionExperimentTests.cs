using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Backbones;

/// <summary>The torchvision backbones and model.pretrained as experiment files see them.</summary>
public class TorchVisionExperimentTests
{
    [Fact]
    public void OldExperimentNamingResNet18OnGreyImagesStopsWithExitTwoNamingCifarResNet18()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: ", \"tracking\": { \"trackers\": [] }").Replace("\"cnn4\", \"options\": { \"widths\": [4, 4, 8, 8] }", "\"resnet18\"", StringComparison.Ordinal));

        var result = CliProcess.Run(scratch.Root, "run", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'cifar-resnet18'", result.Error);
        Assert.DoesNotContain("   at ", result.Error); // a message, not a stack trace
    }

    [Fact]
    public void PretrainedSectionBindsAndIsLeftOutOfTheConfigurationWhenAbsent()
    {
        using var scratch = new ScratchFolder();
        string with = scratch.File("with.json", TinyExperiment.Json().Replace(
            "\"embeddingDim\": 8 }", "\"embeddingDim\": 8, \"pretrained\": { \"path\": \"w.pt\", \"keyMap\": [\"module.=>\"] } }", StringComparison.Ordinal));
        string without = scratch.File("without.json", TinyExperiment.Json());

        var pretrained = Resolve(with).Spec.Model.Pretrained!;
        var plain = Resolve(without);

        Assert.Equal("w.pt", pretrained.Path);
        Assert.Equal(["module.=>"], pretrained.KeyMap);
        Assert.True(pretrained.Strict);
        Assert.Null(plain.Spec.Model.Pretrained);
        Assert.False(plain.Resolved["model"]!.AsObject().ContainsKey("pretrained"));
    }

    private static ResolvedExperiment Resolve(string file)
    {
        var document = ExperimentDocument.Load(file);
        using var catalog = BuiltInPlugins.Load();
        return new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, [], new Dictionary<string, string>(), "run");
    }
}
