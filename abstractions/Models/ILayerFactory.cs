using static TorchSharp.torch;

namespace CompatLab.Abstractions.Models;

/// <summary>
/// Builds the weight layers of a backbone. Backbones must make every convolution (and, for transformers, every
/// attention/MLP linear) through this factory, so the host can choose maskable layers and initialisation for them.
/// </summary>
public interface ILayerFactory
{
    nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = false);

    nn.Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures, bool bias = true);

    /// <summary>
    /// A convolution whose channels are split into <paramref name="groups"/> independent groups (depthwise when
    /// groups equals the channel count, as in MobileNets). A default body keeps factories written before contract
    /// 1.2 compiling; they can make only ungrouped convolutions and say so.
    /// </summary>
    nn.Module<Tensor, Tensor> GroupedConv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, long groups, bool bias)
    {
        if (groups == 1)
        {
            return Conv2d(inChannels, outChannels, kernelSize, stride, padding, bias);
        }

        throw new NotSupportedException($"The layer factory {GetType().Name} predates grouped convolutions (contract 1.2) and cannot make one with {groups} groups.");
    }
}

/// <summary>Makes <see cref="MaskableConv2d"/> and <see cref="MaskableLinear"/> layers, with scores when asked.</summary>
public sealed class MaskableLayerFactory : ILayerFactory
{
    private readonly bool withScores;

    public MaskableLayerFactory(bool withScores = false)
    {
        this.withScores = withScores;
    }

    public nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = false) =>
        GroupedConv2d(inChannels, outChannels, kernelSize, stride, padding, groups: 1, bias);

    public nn.Module<Tensor, Tensor> GroupedConv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, long groups, bool bias)
    {
        var layer = new MaskableConv2d(inChannels, outChannels, kernelSize, stride, padding, bias, groups);
        if (withScores)
        {
            layer.EnableScores();
        }

        return layer;
    }

    public nn.Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        var layer = new MaskableLinear(inFeatures, outFeatures, bias);
        if (withScores)
        {
            layer.EnableScores();
        }

        return layer;
    }
}
