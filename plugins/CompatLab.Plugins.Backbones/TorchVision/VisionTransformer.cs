using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Backbones;

/// <summary>What the ViT plugins share: the input checks (channels, sides divisible by the patch) and the network.</summary>
public abstract class VisionTransformer : IBackboneFactory
{
    private readonly string name;
    private readonly int inputChannels;
    private readonly VitSizes sizes;

    private protected VisionTransformer(TorchVisionOptions options, string name, VitSizes sizes)
    {
        OptionsGuard.Checked(options, "backbone", name);
        this.name = name;
        this.sizes = sizes;
        inputChannels = options.InputChannels;
    }

    public FeatureExtractor Create(BackboneContext context)
    {
        TorchVisionInput.Require(context, name, inputChannels, sizes.PatchSize);
        if (context.InputHeight % sizes.PatchSize != 0 || context.InputWidth % sizes.PatchSize != 0)
        {
            throw new CompatLabUserException(
                $"Backbone '{name}' cuts images into {sizes.PatchSize}x{sizes.PatchSize} patches, so their sides must be multiples of {sizes.PatchSize}; " +
                $"the dataset gives {context.InputHeight}x{context.InputWidth} (height x width).");
        }

        return new VitNetwork($"{name}-network", context, sizes);
    }
}
