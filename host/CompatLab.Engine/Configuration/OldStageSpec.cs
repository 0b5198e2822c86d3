namespace CompatLab.Engine.Configuration;

/// <summary>The old model: trained for classification on the old split, then frozen.</summary>
public sealed class OldStageSpec
{
    public TrainingSpec Training { get; set; } = new();
}
