namespace CompatLab.Plugins.Backbones;

/// <summary>One row of torchvision's MobileNetV3 table (bneck_conf): channels in, kernel, expanded, out, SE, activation, stride.</summary>
internal sealed record MobileNetV3Block(long In, long Kernel, long Expanded, long Out, bool SqueezeExcite, Activation Activation, long Stride)
{
    private const Activation RE = Activation.Relu;
    private const Activation HS = Activation.Hardswish;

    public static IReadOnlyList<MobileNetV3Block> Large { get; } =
    [
        new(16, 3, 16, 16, false, RE, 1), new(16, 3, 64, 24, false, RE, 2), new(24, 3, 72, 24, false, RE, 1),
        new(24, 5, 72, 40, true, RE, 2), new(40, 5, 120, 40, true, RE, 1), new(40, 5, 120, 40, true, RE, 1),
        new(40, 3, 240, 80, false, HS, 2), new(80, 3, 200, 80, false, HS, 1), new(80, 3, 184, 80, false, HS, 1),
        new(80, 3, 184, 80, false, HS, 1), new(80, 3, 480, 112, true, HS, 1), new(112, 3, 672, 112, true, HS, 1),
        new(112, 5, 672, 160, true, HS, 2), new(160, 5, 960, 160, true, HS, 1), new(160, 5, 960, 160, true, HS, 1),
    ];

    public static IReadOnlyList<MobileNetV3Block> Small { get; } =
    [
        new(16, 3, 16, 16, true, RE, 2), new(16, 3, 72, 24, false, RE, 2), new(24, 3, 88, 24, false, RE, 1),
        new(24, 5, 96, 40, true, HS, 2), new(40, 5, 240, 40, true, HS, 1), new(40, 5, 240, 40, true, HS, 1),
        new(40, 5, 120, 48, true, HS, 1), new(48, 5, 144, 48, true, HS, 1), new(48, 5, 288, 96, true, HS, 2),
        new(96, 5, 576, 96, true, HS, 1), new(96, 5, 576, 96, true, HS, 1),
    ];
}
