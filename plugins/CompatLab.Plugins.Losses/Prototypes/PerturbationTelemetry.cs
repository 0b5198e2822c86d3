using CompatLab.Sdk.Telemetry;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>
/// What each refresh reports: mean and max ||delta_c||, the fraction of classes on the bound eps, and the mean
/// cosine of every class to its nearest neighbour (by old-prototype cosine) before (o) and after (p) perturbing.
/// </summary>
public static class PerturbationTelemetry
{
    public const string NormMean = "perturbation-norm-mean";
    public const string NormMax = "perturbation-norm-max";
    public const string AtBound = "fraction-at-eps";
    public const string NeighbourBefore = "neighbour-cos-before";
    public const string NeighbourAfter = "neighbour-cos-after";

    /// <summary>Reports under the plugin's name (<c>{plugin}/{key}</c>) at <paramref name="step"/>.</summary>
    public static void Report(PluginTelemetry sink, PseudoOldPrototypes prototypes, double eps, long step)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor norms = prototypes.Delta.norm(1);
        // Relative slack so a row projected onto the ball, whose length rounds to just under eps, still counts.
        Tensor atBound = norms.ge(eps * (1 - 1e-4)).to(ScalarType.Float32).mean();
        sink.Report(NormMean, norms.mean().item<float>(), step);
        sink.Report(NormMax, norms.max().item<float>(), step);
        sink.Report(AtBound, atBound.item<float>(), step);

        if (prototypes.ClassCount < 2)
        {
            return;
        }

        Tensor old = prototypes.Old;
        Tensor cosines = OtherClassCosines.Of(old);
        (Tensor before, Tensor nearest) = cosines.max(1);
        Tensor pseudo = prototypes.Current();
        Tensor after = pseudo.mul(pseudo.index_select(0, nearest)).sum(1);
        sink.Report(NeighbourBefore, before.mean().item<float>(), step);
        sink.Report(NeighbourAfter, after.mean().item<float>(), step);
    }
}
