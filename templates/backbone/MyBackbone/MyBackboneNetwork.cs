using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace MyBackbone;

/// <summary>The trunk: images [N, C, H, W] to features [N, width].</summary>
internal sealed class MyBackboneNetwork : FeatureExtractor
{
    private readonly nn.Module<Tensor, Tensor> convolution;

    public MyBackboneNetwork(BackboneContext context, long width)
        : base(nameof(MyBackboneNetwork))
    {
        // Weight layers come from the host's factory, so PrunNet and the pruning criteria can mask them.
        convolution = context.Layers.Conv2d(context.InputChannels, width, kernelSize: 3, padding: 1);
        OutputDim = width;
        RegisterComponents();
    }

    public override long OutputDim { get; }

    public override Tensor forward(Tensor images)
    {
        // Dispose intermediates as soon as the next operation has them (autograd keeps what backward needs).
        using var convolved = convolution.call(images);
        using var activated = nn.functional.relu(convolved);
        return activated.mean([2, 3]);
    }
}
