using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// The checks a torchvision-layout backbone makes on the dataset's images before building anything: the channel
/// count it was configured for (3 unless <c>inputChannels</c> says otherwise) and a minimum side.
/// </summary>
internal static class TorchVisionInput
{
    public static void Require(BackboneContext context, string pluginName, int inputChannels, long minimumSide)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(context.Layers);
        string given = $"{context.InputChannels}x{context.InputHeight}x{context.InputWidth} (channels x height x width)";
        string hint = pluginName == ResNet18.Name
            ? " For small or grey images the CIFAR-style network that was called 'resnet18' before is now 'cifar-resnet18'."
            : string.Empty;
        if (context.InputChannels != inputChannels)
        {
            throw new CompatLabUserException(
                $"Backbone '{pluginName}' is built for {inputChannels}-channel images (option inputChannels), but the dataset gives {given}. " +
                $"Set inputChannels to {context.InputChannels} to build its first convolution for them (torchvision's pretrained weights then no longer fit).{hint}");
        }

        if (context.InputHeight < minimumSide || context.InputWidth < minimumSide)
        {
            throw new CompatLabUserException(
                $"Backbone '{pluginName}' needs images with sides of at least {minimumSide} pixels; the dataset gives {given}.{hint}");
        }
    }
}
