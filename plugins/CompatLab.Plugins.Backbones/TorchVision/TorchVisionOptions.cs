using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

/// <summary>Options of the torchvision-layout backbones (MobileNets and the ViT presets).</summary>
public class TorchVisionOptions : IValidatableOptions
{
    [Description("Image channels the first convolution takes (default 3, as torchvision's weights expect); must equal the dataset's.")]
    public int InputChannels { get; set; } = 3;

    public virtual IEnumerable<string> Validate()
    {
        if (InputChannels < 1)
        {
            yield return $"inputChannels must be at least 1 (got {InputChannels}).";
        }
    }
}
