namespace CompatLab.Plugins.Backbones;

/// <summary>The sizes of a torchvision VisionTransformer (its constructor's arguments, less the image size).</summary>
public sealed record VitSizes(long PatchSize, int Layers, long Heads, long HiddenDim, long MlpDim)
{
    /// <summary>torchvision's LayerNorm eps in ViTs.</summary>
    public const double NormEps = 1e-6;

    public static VitSizes Base16 { get; } = new(16, 12, 12, 768, 3072);

    public static VitSizes Small16 { get; } = new(16, 12, 6, 384, 1536);

    public static VitSizes Tiny16 { get; } = new(16, 12, 3, 192, 768);
}
