namespace CompatLab.Engine.Training;

/// <summary>An unexpected error inside one training step, wrapped to say which stage and step it broke.</summary>
public sealed class TrainingStepException : Exception
{
    public TrainingStepException(string stage, long step, Exception inner)
        : base($"{stage} training, step {step}: {inner.Message}", inner)
    {
        Stage = stage;
        Step = step;
    }

    public string Stage { get; }

    public long Step { get; }
}
