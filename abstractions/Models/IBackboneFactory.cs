namespace CompatLab.Abstractions.Models;

/// <summary>Builds a fresh, randomly initialised trunk. The host seeds torch before calling, so creation is repeatable.</summary>
public interface IBackboneFactory
{
    FeatureExtractor Create(BackboneContext context);
}

/// <summary>The input shape and the factory that must make the backbone's weight layers.</summary>
public sealed record BackboneContext(long InputChannels, long InputHeight, long InputWidth, ILayerFactory Layers);
