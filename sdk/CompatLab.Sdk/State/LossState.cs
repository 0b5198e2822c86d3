using CompatLab.Abstractions;
using static TorchSharp.torch;

namespace CompatLab.Sdk.State;

/// <summary>Copying a loss's kept tensors into a checkpoint snapshot and back, with the checks a resume needs.</summary>
public static class LossState
{
    /// <summary>A detached copy of <paramref name="live"/> outside every dispose scope.</summary>
    public static Tensor Snapshot(Tensor live) => FrozenCopy.Of(live);

    /// <summary>Copies <c>state[key]</c> into <paramref name="into"/> (same shape; dtype and device converted).</summary>
    public static void Restore(IReadOnlyDictionary<string, Tensor> state, string key, Tensor into, string plugin)
    {
        if (!state.TryGetValue(key, out Tensor? saved))
        {
            throw new CompatLabUserException(
                $"loss '{plugin}': the checkpoint holds no '{key}' state ({Describe(state)}); was it written by another loss?");
        }

        if (!saved.shape.SequenceEqual(into.shape))
        {
            throw new CompatLabUserException(
                $"loss '{plugin}': the checkpoint's '{key}' state is [{string.Join(", ", saved.shape)}] but this run needs " +
                $"[{string.Join(", ", into.shape)}]; was it written with other classes, widths or options?");
        }

        using var noGrad = no_grad();
        into.copy_(saved);
    }

    /// <summary>The values of a small int64 state tensor (counters), checked for length.</summary>
    public static long[] Counters(IReadOnlyDictionary<string, Tensor> state, string key, int length, string plugin)
    {
        using var holder = zeros(length, dtype: ScalarType.Int64);
        Restore(state, key, holder, plugin);
        return holder.data<long>().ToArray();
    }

    private static string Describe(IReadOnlyDictionary<string, Tensor> state) =>
        state.Count == 0 ? "it has none" : "it has " + string.Join(", ", state.Keys.Order(StringComparer.Ordinal));
}
