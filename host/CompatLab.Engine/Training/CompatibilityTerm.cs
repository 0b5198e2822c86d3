using CompatLab.Abstractions.Losses;
using CompatLab.Engine.Models;

namespace CompatLab.Engine.Training;

/// <summary>The compatibility part of new-model training: the loss plugin, the frozen old model and lambda.</summary>
public sealed record CompatibilityTerm(ICompatibilityLoss Loss, FrozenOldModel OldModel, double Lambda);
