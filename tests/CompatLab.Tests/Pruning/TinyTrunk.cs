using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Tests.Pruning;

/// <summary>A one-convolution trunk (masked conv, BatchNorm2d, ReLU, global average pool) for BatchNorm tests.</summary>
internal sealed class TinyTrunk : FeatureExtractor
{
#pragma warning disable IDE1006
    private readonly MaskableConv2d conv;
    private readonly BatchNorm2d norm;
#pragma warning restore IDE1006

    public TinyTrunk(long channels)
        : base(nameof(TinyTrunk))
    {
        conv = new MaskableConv2d(1, channels, 3, padding: 1) { LayerName = "trunk.conv" };
        norm = nn.BatchNorm2d(channels);
        OutputDim = channels;
        RegisterComponents();
    }

    public override long OutputDim { get; }

    public MaskableConv2d Conv => conv;

    public BatchNorm2d Norm => norm;

    public override Tensor forward(Tensor input) =>
        nn.functional.adaptive_avg_pool2d(nn.functional.relu(norm.forward(conv.forward(input))), [1, 1]).flatten(1);
}
