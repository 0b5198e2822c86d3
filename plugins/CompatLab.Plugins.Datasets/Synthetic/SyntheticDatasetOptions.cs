using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Datasets.Synthetic;

public sealed class SyntheticDatasetOptions : IValidatableOptions
{
    [Description("Seed of the generated data; 0 uses the run seed.")]
    public int Seed { get; set; }

    [Description("Number of classes.")]
    public int Classes { get; set; } = 10;

    [Description("Training images per class.")]
    public int TrainPerClass { get; set; } = 200;

    [Description("Test images per class.")]
    public int TestPerClass { get; set; } = 50;

    [Description("Image channels.")]
    public int Channels { get; set; } = 1;

    [Description("Image height and width in pixels.")]
    public int Size { get; set; } = 28;

    [Description("Standard deviation of the Gaussian pixel noise (class templates have unit standard deviation).")]
    public double Noise { get; set; } = 0.3;

    [Description("Number of clusters of closely related classes; 0 makes every class independent. Class c is in cluster c mod clusters.")]
    public int Clusters { get; set; }

    [Description("How far classes in one cluster are from their shared pattern (relative to it); small values make them hard to tell apart.")]
    public double ClusterSpread { get; set; } = 0.15;

    public IEnumerable<string> Validate()
    {
        if (Classes < 2)
        {
            yield return $"classes must be at least 2, got {Classes}.";
        }

        if (TrainPerClass < 1)
        {
            yield return $"trainPerClass must be at least 1, got {TrainPerClass}.";
        }

        if (TestPerClass < 1)
        {
            yield return $"testPerClass must be at least 1, got {TestPerClass}.";
        }

        if (Channels < 1)
        {
            yield return $"channels must be at least 1, got {Channels}.";
        }

        if (Size < SyntheticTemplates.SmallestSize)
        {
            yield return $"size must be at least {SyntheticTemplates.SmallestSize} pixels, got {Size}.";
        }

        if (!double.IsFinite(Noise) || Noise < 0)
        {
            yield return $"noise must be a number of at least 0, got {Noise}.";
        }

        if (Clusters < 0 || Clusters > Classes)
        {
            yield return $"clusters must be 0 (independent classes) or between 1 and classes ({Classes}), got {Clusters}.";
        }

        if (Clusters > 0 && (!double.IsFinite(ClusterSpread) || ClusterSpread <= 0))
        {
            yield return $"clusterSpread must be a positive number when clusters is set, got {ClusterSpread}.";
        }
    }
}
