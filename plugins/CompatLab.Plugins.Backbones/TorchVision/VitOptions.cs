using System.ComponentModel;

namespace CompatLab.Plugins.Backbones;

/// <summary>Options of the configurable <c>vit</c> backbone; the defaults are ViT-B/16's sizes.</summary>
public sealed class VitOptions : TorchVisionOptions
{
    [Description("Side of the square patches; image sides must be multiples of it (default 16).")]
    public int PatchSize { get; set; } = 16;

    [Description("Encoder blocks (default 12).")]
    public int Layers { get; set; } = 12;

    [Description("Attention heads; must divide hiddenDim (default 12).")]
    public int Heads { get; set; } = 12;

    [Description("Token width (default 768).")]
    public int HiddenDim { get; set; } = 768;

    [Description("Hidden width of each block's MLP (default 3072).")]
    public int MlpDim { get; set; } = 3072;

    internal VitSizes Sizes => new(PatchSize, Layers, Heads, HiddenDim, MlpDim);

    public override IEnumerable<string> Validate()
    {
        foreach (string problem in base.Validate())
        {
            yield return problem;
        }

        foreach (var (name, value) in new[] { ("patchSize", PatchSize), ("layers", Layers), ("heads", Heads), ("hiddenDim", HiddenDim), ("mlpDim", MlpDim) })
        {
            if (value < 1)
            {
                yield return $"{name} must be at least 1 (got {value}).";
            }
        }

        if (Heads >= 1 && HiddenDim % Heads != 0)
        {
            yield return $"heads ({Heads}) must divide hiddenDim ({HiddenDim}).";
        }
    }
}
