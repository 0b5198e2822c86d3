using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>
/// What a refresh may look at, all read only and in the old width: the old prototypes o (unit rows), the current
/// perturbation, the new-model class averages and which classes they cover, and the feature bank when the loss keeps one.
/// </summary>
public sealed record PerturbationInputs(Tensor Old, Tensor Previous, Tensor NewMeans, Tensor NewSeen, FeatureBank? Bank);
