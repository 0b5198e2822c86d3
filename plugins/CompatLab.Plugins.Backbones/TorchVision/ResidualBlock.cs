using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// torchvision's ResNet blocks: convN/bnN pairs (two 3x3 for the basic block; 1x1, 3x3, 1x1 for the bottleneck,
/// whose output has four times the width) and, when the shape changes, a "downsample" of 1x1 conv "0" and bn "1".
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly (nn.Module<Tensor, Tensor> Conv, BatchNorm2d Norm)[] steps;
    private readonly IndexedSequence? downsample;

    public ResidualBlock(ILayerFactory layers, ConvShape[] shapes)
        : base(nameof(ResidualBlock))
    {
        steps = new (nn.Module<Tensor, Tensor>, BatchNorm2d)[shapes.Length];
        for (int i = 0; i < shapes.Length; i++)
        {
            steps[i] = (shapes[i].Build(layers), BatchNormStyle.Torch.Create(shapes[i].OutChannels));
            register_module($"conv{i + 1}", steps[i].Conv);
            register_module($"bn{i + 1}", steps[i].Norm);
        }

        long inChannels = shapes[0].InChannels;
        long outChannels = shapes[^1].OutChannels;
        long stride = shapes.Max(s => s.Stride);
        if (stride != 1 || inChannels != outChannels)
        {
            var projection = new ConvShape(inChannels, outChannels, KernelSize: 1, Stride: stride);
            downsample = new IndexedSequence([projection.Build(layers), BatchNormStyle.Torch.Create(outChannels)]);
            register_module("downsample", downsample);
        }
    }

    public static ResidualBlock Basic(ILayerFactory layers, long inChannels, long width, long stride) =>
        new(layers, [new ConvShape(inChannels, width, 3, stride), new ConvShape(width, width, 3)]);

    public static ResidualBlock Bottleneck(ILayerFactory layers, long inChannels, long width, long stride) =>
        new(layers, [new ConvShape(inChannels, width, 1), new ConvShape(width, width, 3, stride), new ConvShape(width, width * 4, 1)]);

    public override Tensor forward(Tensor input)
    {
        var current = input;
        for (int i = 0; i < steps.Length; i++)
        {
            using (var convolved = steps[i].Conv.call(current))
            {
                var normalised = steps[i].Norm.call(convolved);
                if (!ReferenceEquals(current, input))
                {
                    current.Dispose();
                }

                // The last step is rectified after the residual is added; in place is safe as in BasicBlock.
                current = i < steps.Length - 1 ? normalised.relu_() : normalised;
            }
        }

        if (downsample is null)
        {
            current.add_(input);
        }
        else
        {
            using var projected = downsample.call(input);
            current.add_(projected);
        }

        return current.relu_();
    }
}
