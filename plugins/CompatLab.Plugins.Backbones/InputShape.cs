using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;

namespace CompatLab.Plugins.Backbones;

/// <summary>Checks that a dataset's images can pass through a backbone before any layer is built.</summary>
internal static class InputShape
{
    public static void RequireAtLeast(BackboneContext context, string pluginName, long minimumSide)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(context.Layers);
        if (context.InputChannels < 1 || context.InputHeight < minimumSide || context.InputWidth < minimumSide)
        {
            throw new CompatLabUserException(
                $"Backbone '{pluginName}' needs images with at least 1 channel and sides of at least {minimumSide} pixels; " +
                $"the dataset gives {context.InputChannels}x{context.InputHeight}x{context.InputWidth} (channels x height x width).");
        }
    }
}
