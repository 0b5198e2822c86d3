using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>ResNet's basic block: two 3x3 convolutions with a residual connection, projected when the shape changes.</summary>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv1;
    private readonly BatchNorm2d norm1;
    private readonly nn.Module<Tensor, Tensor> conv2;
    private readonly BatchNorm2d norm2;
    private readonly ProjectionShortcut? shortcut;

    public BasicBlock(ILayerFactory layers, long inChannels, long outChannels, long stride)
        : base(nameof(BasicBlock))
    {
        conv1 = layers.Conv2d(inChannels, outChannels, kernelSize: 3, stride: stride, padding: 1);
        norm1 = nn.BatchNorm2d(outChannels);
        conv2 = layers.Conv2d(outChannels, outChannels, kernelSize: 3, stride: 1, padding: 1);
        norm2 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = new ProjectionShortcut(layers, inChannels, outChannels, stride);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        // Intermediates are released as soon as they are used (see ConvNormRelu); the input belongs to the caller.
        Tensor output;
        using (var convolved1 = conv1.call(input))
        using (var hidden = norm1.call(convolved1).relu_())
        using (var convolved2 = conv2.call(hidden))
        {
            output = norm2.call(convolved2);
        }

        // Adding and rectifying in place is safe: neither batch norm's nor addition's backward reads this tensor.
        if (shortcut is null)
        {
            output.add_(input);
        }
        else
        {
            using var projected = shortcut.call(input);
            output.add_(projected);
        }

        return output.relu_();
    }
}
