using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "torchvision's VisionTransformer at any size (patch, layers, heads, widths as options); torchvision's module names; every projection is maskable.",
    Options = typeof(VitOptions))]
public sealed class Vit : VisionTransformer
{
    public const string Name = "vit";

    public Vit(VitOptions options)
        : base(options, Name, options.Sizes)
    {
    }
}
