using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "CIFAR-style ResNet-18: 3x3 stem, four stages of two basic blocks, projection shortcuts; every convolution is maskable.",
    Options = typeof(ResNet18Options))]
public sealed class ResNet18 : IBackboneFactory
{
    public const string Name = "resnet18";

    private readonly int[] widths;

    public ResNet18(ResNet18Options options)
    {
        OptionsGuard.Checked(options, Name);
        widths = options.EffectiveWidths;
    }

    public FeatureExtractor Create(BackboneContext context)
    {
        InputShape.RequireAtLeast(context, Name, minimumSide: 1);
        return new ResNetNetwork("ResNet18Network", context, widths, blocksPerStage: 2);
    }
}
