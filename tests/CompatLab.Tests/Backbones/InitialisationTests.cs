using CompatLab.Abstractions.Hosting;
using CompatLab.Abstractions.Models;
using TorchSharp;
using Xunit;

namespace CompatLab.Tests.Backbones;

[Collection(TorchRandomCollection.Name)]
public class InitialisationTests
{
    [Theory]
    [InlineData("resnet-mini")]
    [InlineData("cnn4")]
    public void SameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var first = Seeded(name, 7);
        using var second = Seeded(name, 7);
        using var other = Seeded(name, 8);

        var a = first.state_dict();
        var b = second.state_dict();
        var c = other.state_dict();

        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a.Keys, key => Assert.True(a[key].equal(b[key]).all().item<bool>(), key));
        Assert.Contains(a.Keys, key => key.EndsWith("conv.weight") && !a[key].equal(c[key]).all().item<bool>());
    }

    private static FeatureExtractor Seeded(string name, int seed)
    {
        return GlobalTorchRandom.Seeded(seed, () => BackbonePlugins.Create(name, layers: new MaskableLayerFactory(withScores: true)));
    }
}
