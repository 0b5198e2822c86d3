using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "MobileNetV3-Small (torchvision's mobilenet_v3_small), inverted residuals with squeeze-excitation and hard-swish, 576 features; torchvision's module names, so its weights load key for key; every convolution is maskable.",
    Options = typeof(TorchVisionOptions))]
public sealed class MobileNetV3Small : TorchVisionCnn
{
    public const string Name = "mobilenet-v3-small";

    public MobileNetV3Small(TorchVisionOptions options)
        : base(options, Name)
    {
    }

    private protected override FeatureExtractor Build(BackboneContext context) => MobileNetNetwork.V3(context, "mobilenet-v3-small-network", MobileNetV3Block.Small);
}
