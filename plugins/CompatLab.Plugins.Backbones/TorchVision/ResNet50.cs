using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "torchvision's ResNet-50 trunk (bottleneck blocks (3, 4, 6, 3)) with its module names, so torchvision weights load key for key; every convolution is maskable.",
    Options = typeof(TorchVisionResNetOptions))]
public sealed class ResNet50 : TorchVisionResNet
{
    public const string Name = "resnet50";

    public ResNet50(TorchVisionResNetOptions options)
        : base(options, Name, [3, 4, 6, 3], bottleneck: true)
    {
    }
}
