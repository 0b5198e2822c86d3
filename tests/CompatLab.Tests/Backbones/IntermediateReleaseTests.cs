using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Backbones;

/// <summary>
/// Networks release their intermediates once used, so a dispose scope around a forward pass holds its input and
/// output only, not every activation (inference batches stay small; backward frees what it has used).
/// </summary>
public class IntermediateReleaseTests
{
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in BackbonePlugins.Names)
        {
            data.Add(name, true);
            data.Add(name, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AForwardPassLeavesOnlyItsInputAndOutputAlive(string name, bool withGradients)
    {
        using var model = ModelBuilder.Build(BackbonePlugins.Factory(name), (1, 28, 28), new ModelSpec { EmbeddingDim = 8 }, 4, 1, CPU);
        model.train(withGradients);
        using var gradients = withGradients ? enable_grad() : no_grad();

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var scope = NewDisposeScope())
        {
            var images = randn(4, 1, 28, 28);
            var embeddings = model.forward(images);
            long alive = DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;

            Assert.Equal(new[] { 4L, 8L }, embeddings.shape);
            Assert.True(alive <= 2, $"{name}: {alive} tensors alive after a forward pass, expected the input and the output");
            if (withGradients)
            {
                embeddings.sum().backward(); // released intermediates were still there for backward
                Assert.All(model.Network.parameters(), p => Assert.NotNull(p.grad));
            }
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
