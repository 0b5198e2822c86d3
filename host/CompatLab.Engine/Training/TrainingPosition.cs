namespace CompatLab.Engine.Training;

/// <summary>Where a stage's training stands: the next batch to run is batch <see cref="Batch"/> of epoch <see cref="Epoch"/>.</summary>
public sealed record TrainingPosition(int Epoch, int Batch, long Step);
