using CompatLab.Abstractions;

namespace CompatLab.Engine.Training;

/// <summary>
/// Training produced a NaN or infinite loss, gradient or weight. The run stops at once: nothing trained after that
/// point is worth keeping, and a checkpoint of it would poison every resume.
/// </summary>
public sealed class NonFiniteTrainingException : CompatLabUserException
{
    /// <param name="what">The values that went bad and what produced them, e.g. "loss_comp from loss plugin 'bct'".</param>
    public NonFiniteTrainingException(string stage, long step, string what, long lastCheckpoint)
        : base($"{stage}: {what} became NaN or infinite at step {step}; training stopped and no checkpoint after step "
            + $"{lastCheckpoint} was written (a smaller learning rate or different loss options usually help)")
    {
        Step = step;
    }

    /// <summary>For a refusal that is not tied to a training step (a checkpoint's weights).</summary>
    public NonFiniteTrainingException(string message)
        : base(message)
    {
        Step = -1;
    }

    public long Step { get; }
}
