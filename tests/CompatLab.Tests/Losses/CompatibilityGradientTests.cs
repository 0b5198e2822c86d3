using Xunit;
using static CompatLab.Tests.Losses.PerturbationRun;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>Every loss that reads the old embeddings sends gradients to the new embeddings only and changes nothing of the old model's.</summary>
public class CompatibilityGradientTests
{
    public static TheoryData<string> OldEmbeddingLosses => new() { "l2", "contrastive", "hot-refresh", "lce", "ndpp", "odpp" };

    [Theory]
    [MemberData(nameof(OldEmbeddingLosses))]
    public void GradientReachesOnlyTheNewEmbeddings(string name)
    {
        using var scope = NewDisposeScope();
        var first = Batches.Random(4, 12, 6, seed: 1);
        // Class means of the first batch's old embeddings, so that lce's boundaries are tight.
        Tensor means = zeros(4, 6).index_add_(0, first.Labels, first.OldEmbeddings!, 1.0).div(3);
        Tensor meansBefore = means.clone();
        var options = name is "ndpp" or "odpp" ? new Dictionary<string, object> { ["RefreshInterval"] = 1L } : null;
        using var loss = LossPlugins.Create(name, options);
        loss.Prepare(OldModels.ContextWithMeans(means, 6));
        Assert.True(loss.NeedsOldEmbeddings);
        Step(loss, first, 1);
        var second = Batches.Random(4, 12, 6, seed: 2);
        // New embeddings opposite to their class put every loss, lce's hinge included, in its active region.
        var batch = second with { NewEmbeddings = second.NewEmbeddings.neg() };
        Tensor newEmbeddings = batch.NewEmbeddings.requires_grad_();
        // Even an old tensor that tracks gradients must not get one: the loss detaches the old side itself.
        Tensor oldEmbeddings = batch.OldEmbeddings!.requires_grad_();
        Tensor oldBefore = oldEmbeddings.detach().clone();

        Tensor value = loss.Compute(batch);
        value.backward();

        Assert.True(double.IsFinite(value.item<float>()));
        Assert.NotNull(newEmbeddings.grad);
        Assert.True(newEmbeddings.grad!.abs().sum().item<float>() > 0);
        Assert.Null(oldEmbeddings.grad);
        Assert.Equal(oldBefore.data<float>().ToArray(), oldEmbeddings.detach().data<float>().ToArray());
        Assert.False(means.requires_grad);
        Assert.Equal(meansBefore.data<float>().ToArray(), means.data<float>().ToArray());
    }
}
