using CompatLab.Abstractions.Models;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Backbones;

/// <summary>What the four torchvision ResNet plugins share: options, input checks and the network.</summary>
public abstract class TorchVisionResNet : IBackboneFactory
{
    // Five halvings (stem, max-pool, three stages) leave one pixel of a 32-pixel side.
    private const long MinimumSide = 32;

    private readonly string name;
    private readonly int[] blocksPerStage;
    private readonly bool bottleneck;
    private readonly int inputChannels;

    private protected TorchVisionResNet(TorchVisionResNetOptions options, string name, int[] blocksPerStage, bool bottleneck)
    {
        OptionsGuard.Checked(options, "backbone", name);
        this.name = name;
        this.blocksPerStage = blocksPerStage;
        this.bottleneck = bottleneck;
        inputChannels = options.InputChannels;
    }

    public FeatureExtractor Create(BackboneContext context)
    {
        TorchVisionInput.Require(context, name, inputChannels, MinimumSide);
        return new TorchVisionResNetNetwork($"{name}-network", context, blocksPerStage, bottleneck);
    }
}
