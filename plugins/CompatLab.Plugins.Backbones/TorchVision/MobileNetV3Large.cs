using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "MobileNetV3-Large (torchvision's mobilenet_v3_large), inverted residuals with squeeze-excitation and hard-swish, 960 features; torchvision's module names, so its weights load key for key; every convolution is maskable.",
    Options = typeof(TorchVisionOptions))]
public sealed class MobileNetV3Large : TorchVisionCnn
{
    public const string Name = "mobilenet-v3-large";

    public MobileNetV3Large(TorchVisionOptions options)
        : base(options, Name)
    {
    }

    private protected override FeatureExtractor Build(BackboneContext context) => MobileNetNetwork.V3(context, "mobilenet-v3-large-network", MobileNetV3Block.Large);
}
