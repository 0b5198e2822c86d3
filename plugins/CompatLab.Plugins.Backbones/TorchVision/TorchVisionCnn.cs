using CompatLab.Abstractions.Models;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Backbones;

/// <summary>What the MobileNet plugins share: options, the input check, and a network builder.</summary>
public abstract class TorchVisionCnn : IBackboneFactory
{
    // Five stride-2 stages leave one pixel of a 32-pixel side.
    private const long MinimumSide = 32;

    private readonly string name;
    private readonly int inputChannels;

    private protected TorchVisionCnn(TorchVisionOptions options, string name)
    {
        OptionsGuard.Checked(options, "backbone", name);
        this.name = name;
        inputChannels = options.InputChannels;
    }

    public FeatureExtractor Create(BackboneContext context)
    {
        TorchVisionInput.Require(context, name, inputChannels, MinimumSide);
        return Build(context);
    }

    private protected abstract FeatureExtractor Build(BackboneContext context);
}
