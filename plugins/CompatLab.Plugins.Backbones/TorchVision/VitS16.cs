using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "ViT-S/16 (DeiT-small sizes in torchvision's VisionTransformer): width 384, 6 heads, 12 layers, MLP 1536; 224-pixel images give torchvision's 197 tokens; every projection is maskable.",
    Options = typeof(TorchVisionOptions))]
public sealed class VitS16 : VisionTransformer
{
    public const string Name = "vit-s-16";

    public VitS16(TorchVisionOptions options)
        : base(options, Name, VitSizes.Small16)
    {
    }
}
