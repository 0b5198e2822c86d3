using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "ViT-B/16 (torchvision's vit_b_16): width 768, 12 heads, 12 layers, MLP 3072; 224-pixel images give torchvision's 197 tokens; every projection is maskable.",
    Options = typeof(TorchVisionOptions))]
public sealed class VitB16 : VisionTransformer
{
    public const string Name = "vit-b-16";

    public VitB16(TorchVisionOptions options)
        : base(options, Name, VitSizes.Base16)
    {
    }
}
