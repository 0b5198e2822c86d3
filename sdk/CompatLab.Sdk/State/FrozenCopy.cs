using static TorchSharp.torch;

namespace CompatLab.Sdk.State;

/// <summary>Copies a tensor out of the autograd graph and out of every dispose scope, for state kept across steps.</summary>
public static class FrozenCopy
{
    public static Tensor Of(Tensor source)
    {
        using var noGrad = no_grad();
        using var detached = source.detach();
        return detached.clone().DetachFromDisposeScope();
    }
}
