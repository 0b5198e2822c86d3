using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using Xunit;
using static CompatLab.Tests.Losses.OldModels;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>
/// Old class means [2, 0] and [0, 3] give centres c0 = [1, 0], c1 = [0, 1]. The boundary r_y is the smallest
/// cosine of class y's old embeddings to c_y among the batches seen so far. The boundary tests give a classifier
/// whose normalised rows are the centres, so LCE's classifier term is zero there.
/// </summary>
public class LceTests
{
    private static readonly double Half = Math.Sqrt(0.5);
    private static readonly double ThreeOfTen = 3 / Math.Sqrt(10);

    private static Tensor Means() => Rows([2, 0], [0, 3]);

    private static Tensor AlignedClassifier() => Rows([3, 0], [0, 5]);

    private static CompatibilityBatch Of(long[] labels, Tensor newEmbeddings, Tensor oldEmbeddings, Tensor? classifier = null) =>
        Batches.Of(labels, newEmbeddings, oldEmbeddings) with { NewClassifierWeight = classifier ?? AlignedClassifier() };

    [Fact]
    public void ClassifierTermIsAHundredTimesTheMseOfNormalisedRowsToCentres()
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create("lce");
        loss.Prepare(ContextWithMeans(Means(), 2));
        Tensor classifier = Rows([1, 1], [0, -2]).requires_grad_();

        // Embeddings on their centres cost nothing in the hinge; rows [h, h] and [0, -1] against [1, 0] and [0, 1]
        // leave squared errors (h - 1)^2 + h^2 + 0 + 4 over four entries.
        Tensor value = loss.Compute(Of([0, 1], Rows([1, 0], [0, 1]), Rows([1, 0], [0, 1]), classifier));
        value.backward();

        double expected = 100 * (((Half - 1) * (Half - 1)) + (Half * Half) + 4) / 4;
        Assert.Equal(expected, value.item<float>(), 3);
        Assert.NotNull(classifier.grad);
        Assert.True(classifier.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void MissingClassifierIsRefusedWithAClearMessage()
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create("lce");
        loss.Prepare(ContextWithMeans(Means(), 2));

        var error = Assert.Throws<InvalidOperationException>(() => loss.Compute(Batches.Of([0], Rows([1, 0]), Rows([1, 0]))));

        Assert.Contains("contract 1.1", error.Message);
    }

    [Fact]
    public void BoundaryIsTheSmallestOldCosineSoFar()
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create("lce");
        loss.Prepare(ContextWithMeans(Means(), 2));
        Assert.True(loss.NeedsOldEmbeddings);

        // Batch 1: r0 = cos([1, 1], c0) = sqrt .5 (below cos([2, 0], c0) = 1), r1 = cos([1, 3], c1) = 3 / sqrt 10.
        // New cosines: [1, 2] to c0 is 1 / sqrt 5; [1, 0] to c0 is 1 (no penalty); [1, 1] to c1 is sqrt .5.
        double first = loss.Compute(Of([0, 0, 1], Rows([1, 2], [1, 0], [1, 1]), Rows([1, 1], [2, 0], [1, 3]))).item<float>();
        // Batch 2: old [3, -1] (cosine 3 / sqrt 10 to c0) leaves r0 at sqrt .5; old [1, 1] lowers r1 to sqrt .5.
        double second = loss.Compute(Of([0, 1], Rows([0, 1], [0, 1]), Rows([3, -1], [1, 1]))).item<float>();

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
        double value = loss.Compute(Of([0], Rows([5, 1, 40]), Rows([3, 4]))).item<float>();

        Assert.Equal(0, value, 6);
    }

    [Fact]
    public void StateRoundTripKeepsTheBoundaries()
    {
        using var scope = NewDisposeScope();
        using var original = LossPlugins.Create("lce");
        original.Prepare(ContextWithMeans(Means(), 2));
        original.Compute(Of([0, 1], Rows([1, 0], [0, 1]), Rows([1, 1], [1, 3])));
        using var resumed = LossPlugins.Create("lce");
        resumed.Prepare(ContextWithMeans(Means(), 2));

        resumed.LoadState(original.SaveState());

        var batch = Of([0, 1], Rows([1, 2], [2, 1]), Rows([1, 0], [0, 1]));
        Assert.Equal(original.Compute(batch).item<float>(), resumed.Compute(batch).item<float>());
        Assert.Throws<CompatLabUserException>(() => resumed.LoadState(new Dictionary<string, Tensor>()));
    }
}
