using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>Cosines between unit prototype rows with each class's own entry at -infinity, so max/top-k pick other classes.</summary>
public static class OtherClassCosines
{
    public static Tensor Of(Tensor unitRows)
    {
        using var scope = NewDisposeScope();
        Tensor self = eye(unitRows.shape[0], dtype: ScalarType.Bool, device: unitRows.device);
        return unitRows.matmul(unitRows.t()).masked_fill(self, double.NegativeInfinity).MoveToOuterDisposeScope();
    }
}
