namespace CompatLab.Plugins.Backbones;

/// <summary>Dimension lists shared by every forward, so pooling allocates no managed array per call.</summary>
internal static class SpatialDims
{
    public static readonly long[] HeightAndWidth = [2, 3];
}
