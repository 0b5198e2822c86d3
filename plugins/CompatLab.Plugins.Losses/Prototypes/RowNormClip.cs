using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>Projects every row onto the ball of radius eps: rows longer than eps are scaled to length eps.</summary>
public static class RowNormClip
{
    public static Tensor Apply(Tensor rows, double eps)
    {
        using var scope = NewDisposeScope();
        Tensor factor = rows.norm(1, keepdim: true).clamp_min(1e-12).reciprocal().mul(eps).clamp_max(1);
        return rows.mul(factor).MoveToOuterDisposeScope();
    }
}
