using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// Batch-norm settings: torch's defaults, or MobileNetV3's (eps 0.001, momentum 0.01). The eps matters for
/// matching torchvision's outputs in eval mode.
/// </summary>
internal sealed record BatchNormStyle(double Eps, double Momentum)
{
    public static BatchNormStyle Torch { get; } = new(1e-5, 0.1);

    public static BatchNormStyle MobileNetV3 { get; } = new(1e-3, 0.01);

    public BatchNorm2d Create(long channels) => nn.BatchNorm2d(channels, eps: Eps, momentum: Momentum);
}
