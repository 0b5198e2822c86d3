using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "MobileNetV2 (torchvision's mobilenet_v2), inverted residuals with ReLU6, 1280 features; torchvision's module names, so its weights load key for key; every convolution is maskable.",
    Options = typeof(TorchVisionOptions))]
public sealed class MobileNetV2 : TorchVisionCnn
{
    public const string Name = "mobilenet-v2";

    public MobileNetV2(TorchVisionOptions options)
        : base(options, Name)
    {
    }

    private protected override FeatureExtractor Build(BackboneContext context) => MobileNetNetwork.V2(context);
}
