using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// torchvision's VisionTransformer trunk: patches embedded by "conv_proj", a learned "class_token" prepended, the
/// encoder, and the class token's final state as the features ("heads" is the host's, not part of the trunk).
/// The position table is sized for the dataset's images, so weights load for the image size they were trained at.
/// </summary>
internal sealed class VitNetwork : FeatureExtractor
{
    private readonly nn.Module<Tensor, Tensor> conv_proj;
    private readonly Parameter class_token;
    private readonly VitEncoder encoder;
    private readonly long hiddenDim;

    internal VitNetwork(string name, BackboneContext context, VitSizes sizes)
        : base(name)
    {
        hiddenDim = sizes.HiddenDim;
        conv_proj = context.Layers.Conv2d(context.InputChannels, sizes.HiddenDim, sizes.PatchSize, stride: sizes.PatchSize, bias: true);
        class_token = new Parameter(zeros(1, 1, sizes.HiddenDim));
        long patches = context.InputHeight / sizes.PatchSize * (context.InputWidth / sizes.PatchSize);
        encoder = new VitEncoder(context.Layers, sizes, patches + 1);
        RegisterComponents();
    }

    public override long OutputDim => hiddenDim;

    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0];
        Tensor tokens;
        using (var embedded = conv_proj.call(input))
        using (var patches = embedded.flatten(2).transpose(1, 2))
        using (var classes = class_token.expand(batch, -1, -1))
        {
            tokens = cat([classes, patches], 1);
        }

        using (tokens)
        using (var encoded = encoder.call(tokens))
        using (var first = encoded.select(1, 0))
        {
            return first.clone();
        }
    }
}
