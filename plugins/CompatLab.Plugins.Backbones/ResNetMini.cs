using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "CIFAR-style ResNet of basic blocks with projection shortcuts; every convolution is maskable.",
    Options = typeof(ResNetMiniOptions))]
public sealed class ResNetMini : IBackboneFactory
{
    public const string Name = "resnet-mini";

    private readonly int[] widths;
    private readonly int blocksPerStage;

    public ResNetMini(ResNetMiniOptions options)
    {
        OptionsGuard.Checked(options, "backbone", Name);
        widths = options.EffectiveWidths;
        blocksPerStage = options.BlocksPerStage;
    }

    public FeatureExtractor Create(BackboneContext context)
    {
        InputShape.RequireAtLeast(context, Name, minimumSide: 1);
        return new ResNetNetwork("ResNetMiniNetwork", context, widths, blocksPerStage);
    }
}
