using CompatLab.Abstractions;
using Xunit;
using static CompatLab.Tests.Losses.OldModels;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>
/// Old class means [2, 0] and [0, 3] give centres c0 = [1, 0], c1 = [0, 1]. The boundary r_y is the smallest
/// cosine of class y's old embeddings to c_y among the batches seen so far.
/// </summary>
public class LceTests
{
    private static readonly double Half = Math.Sqrt(0.5);
    private static readonly double ThreeOfTen = 3 / Math.Sqrt(10);

    private static Tensor Means() => Rows([2, 0], [0, 3]);

    [Fact]
    public void BoundaryIsTheSmallestOldCosineSoFar()
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create("lce");
        loss.Prepare(ContextWithMeans(Means(), 2));
        Assert.True(loss.NeedsOldEmbeddings);

        // Batch 1: r0 = cos([1, 1], c0) = sqrt .5 (below cos([2, 0], c0) = 1), r1 = cos([1, 3], c1) = 3 / sqrt 10.
        // New cosines: [1, 2] to c0 is 1 / sqrt 5; [1, 0] to c0 is 1 (no penalty); [1, 1] to c1 is sqrt .5.
        double first = loss.Compute(Batches.Of([0, 0, 1], Rows([1, 2], [1, 0], [1, 1]), Rows([1, 1], [2, 0], [1, 3]))).item<float>();
        // Batch 2: old [3, -1] (cosine 3 / sqrt 10 to c0) leaves r0 at sqrt .5; old [1, 1] lowers r1 to sqrt .5.
        double second = loss.Compute(Batches.Of([0, 1], Rows([0, 1], [0, 1]), Rows([3, -1], [1, 1]))).item<float>();

        Assert.Equal((Half - (1 / Math.Sqrt(5)) + 0 + (ThreeOfTen - Half)) / 3, first, 5);
        Assert.Equal((Half - 0 + 0) / 2, second, 5);
        Assert.Equal(new[] { (float)Half, (float)Half }, loss.SaveState()["lce-boundaries"].data<float>().ToArray());
    }

    [Fact]
    public void NewEmbeddingInsideTheBoundaryCostsNothing()
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create("lce");
        loss.Prepare(ContextWithMeans(Means(), 3));

        // A wider new embedding is cut to the old width: [5, 1] has cosine 0.98 to c0, above r0 = 0.6.
        double value = loss.Compute(Batches.Of([0], Rows([5, 1, 40]), Rows([3, 4]))).item<float>();

        Assert.Equal(0, value, 6);
    }

    [Fact]
    public void StateRoundTripKeepsTheBoundaries()
    {
        using var scope = NewDisposeScope();
        using var original = LossPlugins.Create("lce");
        original.Prepare(ContextWithMeans(Means(), 2));
        original.Compute(Batches.Of([0, 1], Rows([1, 0], [0, 1]), Rows([1, 1], [1, 3])));
        using var resumed = LossPlugins.Create("lce");
        resumed.Prepare(ContextWithMeans(Means(), 2));

        resumed.LoadState(original.SaveState());

        var batch = Batches.Of([0, 1], Rows([1, 2], [2, 1]), Rows([1, 0], [0, 1]));
        Assert.Equal(original.Compute(batch).item<float>(), resumed.Compute(batch).item<float>());
        Assert.Throws<CompatLabUserException>(() => resumed.LoadState(new Dictionary<string, Tensor>()));
    }
}
