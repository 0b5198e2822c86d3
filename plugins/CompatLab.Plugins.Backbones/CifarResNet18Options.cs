using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

public sealed class CifarResNet18Options : IValidatableOptions
{
    public const int StageCount = 4;

    public static IReadOnlyList<int> DefaultWidths { get; } = [64, 128, 256, 512];

    // Null rather than the default list, for the same reason as ResNetMiniOptions.Widths.
    [Description("Channels of the four stages (default 64, 128, 256, 512); the stem has the first width and the features the last.")]
    public int[]? Widths { get; set; }

    internal int[] EffectiveWidths => [.. Widths ?? DefaultWidths];

    public IEnumerable<string> Validate() => WidthRules.Check(EffectiveWidths, StageCount);
}
