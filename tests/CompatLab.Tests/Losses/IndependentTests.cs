using TorchSharp;
using Xunit;
using static CompatLab.Tests.Losses.OldModels;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

public class IndependentTests
{
    [Fact]
    public void ReturnsExactlyZeroScalarOutsideTheGraph()
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create("independent");
        loss.Prepare(ContextWithMeans(Rows([1, 0], [0, 1]), newWidth: 2));
        Tensor embeddings = randn(4, 2).requires_grad_();

        Tensor value = loss.Compute(new(tensor(new long[] { 0, 1, 0, 1 }), embeddings, null, Step: 0, Epoch: 0));

        Assert.False(loss.NeedsOldEmbeddings);
        Assert.Empty(value.shape);
        Assert.Equal(0f, value.item<float>());
        Assert.Equal(embeddings.dtype, value.dtype);
        Assert.Equal(embeddings.device_type, value.device_type);
        Assert.False(value.requires_grad);
    }
}
