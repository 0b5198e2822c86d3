using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>
/// NDPP's perturbation: each class is pushed away from its k nearest classes in the old space, along
/// <c>u_cj = norm(o_c - o_j)</c>, weighted by softmax attention over the neighbours' old cosines and by how much
/// more the new model separates the pair than the old one did (on centred prototypes).
/// </summary>
public static class NeighbourPerturbation
{
    /// <returns>delta [classes, d] before clipping: <c>beta * sum_j a_cj g_cj u_cj</c>.</returns>
    public static Tensor Compute(Tensor old, Tensor newMeans, Tensor newSeen, int neighbours, double temperature, double beta)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long classes = old.shape[0];
        int k = (int)Math.Min(neighbours, classes - 1);
        if (k < 1)
        {
            return zeros_like(old).MoveToOuterDisposeScope();
        }

        Tensor seen = newSeen.to(ScalarType.Float32);
        Tensor fresh = nn.functional.normalize(newMeans, p: 2, dim: 1);
        Tensor oldCentred = Centred(old, ones_like(seen));
        Tensor newCentred = Centred(fresh, seen);
        // A pair involving a class the new model has not seen yet has no new-space evidence: no push.
        Tensor bothSeen = seen.unsqueeze(1).mul(seen.unsqueeze(0));
        Tensor gap = oldCentred.matmul(oldCentred.t()).sub(newCentred.matmul(newCentred.t())).clamp_min(0).mul(bothSeen);

        Tensor oldCosines = OtherClassCosines.Of(old);
        (Tensor nearestCosines, Tensor nearest) = oldCosines.topk(k, dim: 1);
        Tensor attention = nearestCosines.div(temperature).softmax(1);
        Tensor weights = attention.mul(gap.gather(1, nearest)).mul(beta);
        Tensor away = nn.functional.normalize(old.unsqueeze(1).sub(old.index_select(0, nearest.flatten()).view(classes, k, -1)), p: 2, dim: 2);
        return weights.unsqueeze(2).mul(away).sum(1).MoveToOuterDisposeScope();
    }

    // norm(v_c - mean_j v_j) over the rows marked in `rows`; raw class means share a large common component that
    // would make every cosine gap look big.
    private static Tensor Centred(Tensor prototypes, Tensor rows)
    {
        Tensor centre = prototypes.mul(rows.unsqueeze(1)).sum(dim: 0).div(rows.sum().clamp_min(1));
        return nn.functional.normalize(prototypes.sub(centre), p: 2, dim: 1).mul(rows.unsqueeze(1));
    }
}
