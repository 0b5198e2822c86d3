using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "torchvision's ResNet-18 trunk (basic blocks (2, 2, 2, 2)) with its module names, so torchvision weights load key for key; every convolution is maskable.",
    Options = typeof(TorchVisionResNetOptions))]
public sealed class ResNet18 : TorchVisionResNet
{
    public const string Name = "resnet18";

    public ResNet18(TorchVisionResNetOptions options)
        : base(options, Name, [2, 2, 2, 2], bottleneck: false)
    {
    }
}
