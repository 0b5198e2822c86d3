using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Classifiers;

/// <summary>Copies a tensor out of the autograd graph and out of every dispose scope, for state kept across steps.</summary>
internal static class FrozenCopy
{
    public static Tensor Of(Tensor source)
    {
        using var noGrad = no_grad();
        using var detached = source.detach();
        return detached.clone().DetachFromDisposeScope();
    }
}
