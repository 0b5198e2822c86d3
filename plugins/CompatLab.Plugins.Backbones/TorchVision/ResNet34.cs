using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "torchvision's ResNet-34 trunk (basic blocks (3, 4, 6, 3)) with its module names, so torchvision weights load key for key; every convolution is maskable.",
    Options = typeof(TorchVisionResNetOptions))]
public sealed class ResNet34 : TorchVisionResNet
{
    public const string Name = "resnet34";

    public ResNet34(TorchVisionResNetOptions options)
        : base(options, Name, [3, 4, 6, 3], bottleneck: false)
    {
    }
}
