using CompatLab.Abstractions;

namespace CompatLab.Engine.Training;

/// <summary>
/// A training step ran out of device memory. That is a setting to change, not a fault to debug, so it is one line
/// with the batch size and what lowers the memory a step needs (exit code 2, no stack; bf16 is not offered because
/// runs refuse it until they keep fp32 master weights); the checkpoints written
/// before it are kept, so the same command resumes once the setting is changed.
/// </summary>
public sealed class OutOfDeviceMemoryException : CompatLabUserException
{
    public OutOfDeviceMemoryException(string stage, long step, int batchSize, string device, long lastCheckpoint, Exception inner)
        : base($"{stage} training ran out of memory on {device} at step {step} with batch size {batchSize}: lower "
            + $"{stage}.training.batchSize, or set runtime.memoryFormat to channelsLast; run the same command again to resume "
            + $"from the checkpoint at step {lastCheckpoint}", inner)
    {
    }

    /// <summary>Whether <paramref name="e"/> or an exception inside it is libtorch's out-of-memory error ("CUDA out of memory ...").</summary>
    public static bool IsOutOfMemory(Exception e) => Find(e) is not null;

    /// <summary>The exception in <paramref name="e"/>'s chain whose message says "out of memory", or null.</summary>
    public static Exception? Find(Exception e)
    {
        for (Exception? probe = e; probe is not null; probe = probe.InnerException)
        {
            if (probe.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase))
            {
                return probe;
            }
        }

        return null;
    }
}
