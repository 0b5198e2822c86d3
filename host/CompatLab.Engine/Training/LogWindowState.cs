using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>
/// The logging window in a checkpoint: the step that opened it (saved by <see cref="StageTrainer"/>) and the running
/// sums a training step keeps for it. A run resumed inside a <c>logEvery</c> window then logs the same averages as an
/// uninterrupted one. The entries share the checkpoint's extra state with loss plugins, under the <c>trainer/</c>
/// prefix that is taken off again before a loss sees its state.
/// </summary>
internal static class LogWindowState
{
    public const string Prefix = "trainer/";
    public const string StartKey = Prefix + "log-window-start";
    public const string SumsKey = Prefix + "log-sums";

    /// <summary>A copy of <paramref name="own"/> with a snapshot of the sums (and any named extras) added.</summary>
    public static Dictionary<string, Tensor> WithSums(IReadOnlyDictionary<string, Tensor> own, Tensor sums)
    {
        var state = own.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        state[SumsKey] = sums.detach().clone().DetachFromDisposeScope();
        return state;
    }

    /// <summary>Copies saved sums into <paramref name="sums"/>; a checkpoint from before they were kept leaves them at zero.</summary>
    public static void RestoreSums(IReadOnlyDictionary<string, Tensor> state, Tensor sums)
    {
        if (state.TryGetValue(SumsKey, out var saved))
        {
            using var noGrad = no_grad();
            sums.copy_(saved);
        }
    }

    /// <summary>The state without the trainer's entries: what a loss plugin saved.</summary>
    public static Dictionary<string, Tensor> WithoutTrainerEntries(IReadOnlyDictionary<string, Tensor> state) =>
        state.Where(kv => !kv.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Disposes the trainer's own entries once the checkpoint is written (a loss plugin's tensors stay its own).</summary>
    public static void DisposeTrainerEntries(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var (key, tensor) in state)
        {
            if (key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                tensor.Dispose();
            }
        }
    }
}
