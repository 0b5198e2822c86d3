using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>A convolution's geometry with torchvision's "same" padding ((kernel - 1) / 2), built by the host's factory.</summary>
internal sealed record ConvShape(long InChannels, long OutChannels, long KernelSize, long Stride = 1, long Groups = 1, bool Bias = false)
{
    public static ConvShape Depthwise(long channels, long kernelSize, long stride) => new(channels, channels, kernelSize, stride, Groups: channels);

    public long Padding => (KernelSize - 1) / 2;

    public nn.Module<Tensor, Tensor> Build(ILayerFactory layers) => Groups == 1
        ? layers.Conv2d(InChannels, OutChannels, KernelSize, Stride, Padding, Bias)
        : layers.GroupedConv2d(InChannels, OutChannels, KernelSize, Stride, Padding, Groups, Bias);
}
