using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "CIFAR-style ResNet-18 (named resnet18 before torchvision's ResNets came): 3x3 stem, four stages of two basic blocks, projection shortcuts; every convolution is maskable.",
    Options = typeof(CifarResNet18Options))]
public sealed class CifarResNet18 : IBackboneFactory
{
    public const string Name = "cifar-resnet18";

    private readonly int[] widths;

    public CifarResNet18(CifarResNet18Options options)
    {
        OptionsGuard.Checked(options, "backbone", Name);
        widths = options.EffectiveWidths;
    }

    public FeatureExtractor Create(BackboneContext context)
    {
        InputShape.RequireAtLeast(context, Name, minimumSide: 1);
        return new ResNetNetwork("CifarResNet18Network", context, widths, blocksPerStage: 2);
    }
}
