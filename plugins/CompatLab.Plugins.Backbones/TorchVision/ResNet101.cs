using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "torchvision's ResNet-101 trunk (bottleneck blocks (3, 4, 23, 3)) with its module names, so torchvision weights load key for key; every convolution is maskable.",
    Options = typeof(TorchVisionResNetOptions))]
public sealed class ResNet101 : TorchVisionResNet
{
    public const string Name = "resnet101";

    public ResNet101(TorchVisionResNetOptions options)
        : base(options, Name, [3, 4, 23, 3], bottleneck: true)
    {
    }
}
