using static TorchSharp.torch;

namespace CompatLab.Abstractions.Models;

/// <summary>
/// A backbone's trunk: images [N, C, H, W] to pooled features [N, <see cref="OutputDim"/>]. The host adds the
/// embedding projector and the classifier head, the same for every backbone.
/// </summary>
public abstract class FeatureExtractor : nn.Module<Tensor, Tensor>
{
    protected FeatureExtractor(string name)
        : base(name)
    {
    }

    public abstract long OutputDim { get; }
}
