using System.ComponentModel;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;

namespace MyBackbone;

public sealed class MyBackboneOptions : IValidatableOptions
{
    [Description("Channels of the convolution; the features have this width.")]
    public int Width { get; set; } = 16;

    public IEnumerable<string> Validate()
    {
        if (Width < 1)
        {
            yield return $"Option 'width' must be at least 1; got {Width}.";
        }
    }
}

/// <summary>
/// A backbone plugin is a factory: the host seeds torch, then asks it for a fresh trunk that maps images to
/// features. The host adds the embedding projector and the classifier.
/// </summary>
[CompatLabPlugin(PluginKind.Backbone, "my-backbone", Description = "One convolution, ReLU and global average pooling.", Options = typeof(MyBackboneOptions))]
public sealed class MyBackbone : IBackboneFactory
{
    private readonly int width;

    public MyBackbone(MyBackboneOptions options)
    {
        if (options.Validate().FirstOrDefault() is { } problem)
        {
            throw new CompatLabUserException($"backbone 'my-backbone': {problem}");
        }

        width = options.Width;
    }

    public FeatureExtractor Create(BackboneContext context) => new MyBackboneNetwork(context, width);
}
