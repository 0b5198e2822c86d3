using CompatLab.Engine.Configuration;
using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>
/// The number format and memory layout a training step computes in. Channels-last: TorchSharp 0.107 has no
/// <c>contiguous(memory_format)</c>, so a 4-D tensor gets NHWC strides with permute, contiguous, permute back (same
/// NCHW shape, strides [C*H*W, 1, W*C, C]). A convolution whose input is channels-last runs in that layout (cuDNN
/// and oneDNN choose it when the input or the weight has it) and hands it on to the layers after it.
/// </summary>
public sealed record StepFormat(bool Bf16, bool ChannelsLast)
{
    public static readonly StepFormat Default = new(false, false);

    public static StepFormat From(RuntimeSpec? runtime) =>
        runtime is null ? Default : new(runtime.Precision == "bf16", runtime.MemoryFormat == "channelsLast");

    public ScalarType Dtype => Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>NHWC strides for a 4-D tensor; others unchanged.</summary>
    public static Tensor ToChannelsLast(Tensor tensor) =>
        tensor.dim() == 4 ? tensor.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : tensor;

    /// <summary>Whether a 4-D tensor has channels-last strides (channels innermost).</summary>
    public static bool IsChannelsLast(Tensor tensor) =>
        tensor.dim() == 4 && tensor.stride(1) == 1 && tensor.stride(3) == tensor.shape[1] && tensor.stride(2) == tensor.shape[1] * tensor.shape[3];

    /// <summary>An input batch in this format (images already on the device).</summary>
    public Tensor Input(Tensor images)
    {
        var typed = Bf16 && images.dtype != ScalarType.BFloat16 ? images.to(ScalarType.BFloat16) : images;
        return ChannelsLast ? ToChannelsLast(typed) : typed;
    }
}
