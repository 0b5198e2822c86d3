using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

public sealed class Cnn4Options : IValidatableOptions
{
    public const int BlockCount = 4;

    public static IReadOnlyList<int> DefaultWidths { get; } = [32, 64, 128, 128];

    // Null rather than the default list: the configuration binder appends configured items to a non-empty list.
    [Description("Channels of the four convolution blocks (default 32, 64, 128, 128); the features have the last width.")]
    public int[]? Widths { get; set; }

    // A copy, so that later edits to these options cannot alter the networks a factory makes.
    internal int[] EffectiveWidths => [.. Widths ?? DefaultWidths];

    public IEnumerable<string> Validate() => WidthRules.Check(EffectiveWidths, BlockCount);
}
