using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

public sealed class ResNetMiniOptions : IValidatableOptions
{
    public const int StageCount = 3;

    public static IReadOnlyList<int> DefaultWidths { get; } = [16, 32, 64];

    // Null rather than the default list: the configuration binder appends configured items to a non-empty list
    // instead of replacing it, which would turn "widths": [8, 16, 32] into six widths.
    [Description("Channels of the three stages (default 16, 32, 64); the stem has the first width and the features the last.")]
    public int[]? Widths { get; set; }

    [Description("Basic blocks in each stage (default 1; 3 gives the classic ResNet-20).")]
    public int BlocksPerStage { get; set; } = 1;

    // A copy, so that later edits to these options cannot alter the networks a factory makes.
    internal int[] EffectiveWidths => [.. Widths ?? DefaultWidths];

    public IEnumerable<string> Validate()
    {
        foreach (string problem in WidthRules.Check(EffectiveWidths, StageCount))
        {
            yield return problem;
        }

        if (BlocksPerStage < 1)
        {
            yield return $"blocksPerStage must be at least 1 (got {BlocksPerStage}).";
        }
    }
}
