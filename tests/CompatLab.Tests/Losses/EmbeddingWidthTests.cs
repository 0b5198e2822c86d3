using System.Reflection;
using Xunit;
using static CompatLab.Tests.Losses.OldModels;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

public class EmbeddingWidthTests
{
    private static Tensor Fit(Tensor embeddings, long width)
    {
        MethodInfo fit = LossPlugins.SdkType("CompatLab.Sdk.Losses.EmbeddingWidth").GetMethod("Fit")!;
        return (Tensor)fit.Invoke(null, [embeddings, width])!;
    }

    [Fact]
    public void WiderKeepsTheFirstOldDims()
    {
        using var scope = NewDisposeScope();

        Tensor fitted = Fit(Rows([1, 2, 3], [4, 5, 6]), 2);

        Assert.Equal(new float[] { 1, 2, 4, 5 }, fitted.data<float>().ToArray());
        Assert.Equal(new long[] { 2, 2 }, fitted.shape);
    }

    [Fact]
    public void NarrowerIsZeroPadded()
    {
        using var scope = NewDisposeScope();

        Tensor fitted = Fit(Rows([1, 2], [3, 4]), 4);

        Assert.Equal(new float[] { 1, 2, 0, 0, 3, 4, 0, 0 }, fitted.data<float>().ToArray());
    }

    [Fact]
    public void EqualWidthIsUnchanged()
    {
        using var scope = NewDisposeScope();

        Tensor fitted = Fit(Rows([1, 2], [3, 4]), 2);

        Assert.Equal(new float[] { 1, 2, 3, 4 }, fitted.data<float>().ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void GradientFlowsBackToTheKeptDims(long width)
    {
        using var scope = NewDisposeScope();
        Tensor embeddings = Rows([1, 2, 3], [4, 5, 6]).requires_grad_();

        Fit(embeddings, width).sum().backward();

        float kept = 1;
        float[] expected = [kept, kept, width >= 3 ? kept : 0, kept, kept, width >= 3 ? kept : 0];
        Assert.Equal(expected, embeddings.grad!.data<float>().ToArray());
    }
}
