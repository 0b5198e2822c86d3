using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>The old model: trained for classification on the old split, or loaded from a checkpoint; then frozen.</summary>
public sealed class OldStageSpec
{
    public TrainingSpec Training { get; set; } = new();

    [Description("Load the old model (trunk, projector, classifier) from this file instead of training it; model gives its architecture.")]
    [OptionalSection]
    public OldCheckpointSpec? Checkpoint { get; set; }
}
