using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Losses;
using CompatLab.Sdk.State;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>
/// The boundary term of LCE (Meng et al., ICCV 2021): a new embedding must be at least as close to its class's
/// old centre c_y as the farthest old feature of that class, r_y = min cos(phi_o(x), c_y). The contract gives
/// losses no old-training-set pass, so r_y is the running minimum over the old embeddings of the batches seen so
/// far. The classifier term 100 * MSE(norm(W_n), c) pulls every normalised row of the new classifier onto its
/// class's old centre; the host passes the new classifier's weight with the batch (contract 1.1).
/// </summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "lce",
    Description = "LCE: 100 * MSE(norm(W_n), c) + mean of max(0, r_y - cos(phi_n(x), c_y)); c_y the normalised old class centre, W_n the new classifier's rows, r_y the smallest old-feature cosine to c_y seen so far.")]
public sealed class Lce : CompatibilityLoss
{
    private const string BoundariesKey = "lce-boundaries";
    private const double ClassifierWeight = 100.0;
    private Tensor? centres;
    private Tensor? boundaries;

    public Lce()
        : base("lce")
    {
    }

    protected override void OnPrepare(CompatibilityContext context)
    {
        ReleaseState();
        using var scope = NewDisposeScope();
        Tensor means = context.OldClassMeans().detach().to(ScalarType.Float32, context.Device);
        centres = LossState.Snapshot(nn.functional.normalize(means, p: 2, dim: 1));
        boundaries = LossState.Snapshot(ones(context.ClassCount, device: context.Device));
    }

    protected override Tensor Loss(CompatibilityBatch batch)
    {
        (Tensor classCentres, Tensor classBoundaries) = Prepared();
        Tensor old = PairedEmbeddings.Old(batch, "lce");
        Tensor centreOfSample = classCentres.index_select(0, batch.Labels);
        using (no_grad())
        {
            Tensor oldCosines = nn.functional.normalize(old, p: 2, dim: 1).mul(centreOfSample).sum(1);
            Tensor perClass = full(batch.Labels.shape[0], classCentres.shape[0], double.PositiveInfinity, device: old.device)
                .scatter(1, batch.Labels.unsqueeze(1), oldCosines.unsqueeze(1));
            classBoundaries.copy_(minimum(classBoundaries, perClass.min(0).values));
        }

        Tensor fitted = EmbeddingWidth.Fit(batch.NewEmbeddings, classCentres.shape[1]);
        Tensor newCosines = nn.functional.normalize(fitted, p: 2, dim: 1).mul(centreOfSample).sum(1);
        Tensor boundary = nn.functional.relu(classBoundaries.index_select(0, batch.Labels).sub(newCosines)).mean();
        return boundary.add(ClassifierAlignment(batch, classCentres).mul(ClassifierWeight));
    }

    private static Tensor ClassifierAlignment(CompatibilityBatch batch, Tensor classCentres)
    {
        Tensor weight = batch.NewClassifierWeight
            ?? throw new InvalidOperationException("lce: the batch carries no new classifier weight; this host predates contract 1.1.");
        if (weight.shape[0] != classCentres.shape[0])
        {
            throw new InvalidOperationException($"lce: the new classifier has {weight.shape[0]} classes but there are {classCentres.shape[0]} old class centres.");
        }

        Tensor rows = nn.functional.normalize(EmbeddingWidth.Fit(weight, classCentres.shape[1]), p: 2, dim: 1);
        return nn.functional.mse_loss(rows, classCentres);
    }

    public override IReadOnlyDictionary<string, Tensor> SaveState() =>
        Keep(new() { [BoundariesKey] = LossState.Snapshot(Prepared().Boundaries) });

    public override void LoadState(IReadOnlyDictionary<string, Tensor> state) =>
        LossState.Restore(state, BoundariesKey, Prepared().Boundaries, "lce");

    protected override void Release() => ReleaseState();

    private (Tensor Centres, Tensor Boundaries) Prepared() =>
        centres is not null && boundaries is not null
            ? (centres, boundaries)
            : throw new InvalidOperationException("lce: Prepare must run before Compute or state handling.");

    private void ReleaseState()
    {
        centres?.Dispose();
        boundaries?.Dispose();
        centres = null;
        boundaries = null;
    }
}
