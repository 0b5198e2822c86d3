using Xunit;
using static CompatLab.Tests.Losses.OldModels;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>New [3, 4] and [1, 0] become [0.6, 0.8] and [1, 0]; old [0, 2] and [5, 0] become [0, 1] and [1, 0].</summary>
public class L2Tests
{
    private static double Run(Tensor newEmbeddings, Tensor oldEmbeddings)
    {
        using var loss = LossPlugins.Create("l2");
        loss.Prepare(ContextWithMeans(Rows([1, 0], [0, 1]), newEmbeddings.shape[1]));
        Assert.True(loss.NeedsOldEmbeddings);
        return loss.Compute(Batches.Of([0, 1], newEmbeddings, oldEmbeddings)).item<float>();
    }

    [Fact]
    public void MeanSquaredDistanceOfNormalisedEmbeddings()
    {
        using var scope = NewDisposeScope();

        // ||[0.6, -0.2]||^2 = 0.4 and 0, averaged over the two samples.
        double value = Run(Rows([3, 4], [1, 0]), Rows([0, 2], [5, 0]));

        Assert.Equal(0.2, value, 6);
    }

    [Fact]
    public void WiderNewEmbeddingUsesTheFirstOldDims()
    {
        using var scope = NewDisposeScope();

        double value = Run(Rows([3, 4, 70], [1, 0, -9]), Rows([0, 2], [5, 0]));

        Assert.Equal(0.2, value, 6);
    }

    [Fact]
    public void MissingOldEmbeddingsIsAnError()
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create("l2");
        loss.Prepare(ContextWithMeans(Rows([1, 0], [0, 1]), 2));

        var error = Assert.Throws<InvalidOperationException>(() => loss.Compute(Batches.Of([0, 1], Rows([1, 0], [0, 1]), null)));

        Assert.Contains("'l2'", error.Message);
    }
}
