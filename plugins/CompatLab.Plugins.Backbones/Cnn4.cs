using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Backbones;

[CompatLabPlugin(
    PluginKind.Backbone,
    Name,
    Description = "Four conv-norm-ReLU blocks with max-pooling between them; a cheap baseline trunk.",
    Options = typeof(Cnn4Options))]
public sealed class Cnn4 : IBackboneFactory
{
    public const string Name = "cnn4";

    // Three 2x2 max-pools need at least 8 pixels a side to leave one for the last block.
    private const long MinimumSide = 8;

    private readonly int[] widths;

    public Cnn4(Cnn4Options options)
    {
        OptionsGuard.Checked(options, "backbone", Name);
        widths = options.EffectiveWidths;
    }

    public FeatureExtractor Create(BackboneContext context)
    {
        InputShape.RequireAtLeast(context, Name, MinimumSide);
        return new Cnn4Network(context, widths);
    }
}
