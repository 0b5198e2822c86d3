using TorchSharp;
using Xunit;

namespace CompatLab.Tests.Backbones;

public class GradientTests
{
    [Theory]
    [InlineData("resnet-mini", 1)]
    [InlineData("resnet-mini", 3)]
    [InlineData("cnn4", 1)]
    [InlineData("cnn4", 3)]
    public void BackwardReachesEveryParameter(string name, long channels)
    {
        using var scope = torch.NewDisposeScope();
        using var network = BackbonePlugins.Create(name, channels, side: 28);
        network.train();
        var features = network.call(torch.randn(4, channels, 28, 28));

        // A random projection of the features: a plain sum would give batch norm's scale a zero gradient.
        var loss = (features * torch.randn_like(features)).sum();
        loss.backward();

        Assert.All(network.named_parameters(), p =>
        {
            Assert.NotNull(p.parameter.grad);
            Assert.True(p.parameter.grad!.isfinite().all().item<bool>(), p.name);
            Assert.True(p.parameter.grad!.abs().sum().item<float>() > 0, p.name);
        });
    }
}
