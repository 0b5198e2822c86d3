using static TorchSharp.torch;

namespace CompatLab.Abstractions.Models;

/// <summary>A 2-D convolution whose weight may be masked; initialised as torch's Conv2d (Kaiming-uniform, a = sqrt 5).</summary>
public sealed class MaskableConv2d : MaskableLayer
{
    private readonly long[] stride;
    private readonly long[] padding;
    private readonly long groups;

    public MaskableConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool hasBias = false)
        : this(inChannels, outChannels, kernelSize, stride, padding, hasBias, groups: 1)
    {
    }

    /// <param name="groups">Channel groups; each output sees inChannels / groups inputs, as in torch's Conv2d.</param>
    public MaskableConv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, bool hasBias, long groups)
        : base(nameof(MaskableConv2d), new[] { outChannels, GroupWidth(inChannels, outChannels, groups), kernelSize, kernelSize }, GroupWidth(inChannels, outChannels, groups) * kernelSize * kernelSize, hasBias)
    {
        this.stride = new[] { stride, stride };
        this.padding = new[] { padding, padding };
        this.groups = groups;
    }

    public override Tensor forward(Tensor input) => nn.functional.conv2d(input, EffectiveWeight, Bias, strides: stride, padding: padding, groups: groups);

    private static long GroupWidth(long inChannels, long outChannels, long groups)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"{groups} groups must divide both {inChannels} input and {outChannels} output channels.", nameof(groups));
        }

        return inChannels / groups;
    }
}
