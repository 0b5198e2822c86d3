using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "ViT-T/16 (DeiT-tiny sizes in torchvision's VisionTransformer): width 192, 3 heads, 12 layers, MLP 768; 224-pixel images give torchvision's 197 tokens; every projection is maskable.",
    Options = typeof(TorchVisionOptions))]
public sealed class VitT16 : VisionTransformer
{
    public const string Name = "vit-t-16";

    public VitT16(TorchVisionOptions options)
        : base(options, Name, VitSizes.Tiny16)
    {
    }
}
