using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>
/// Counts the tensors alive on this thread (TorchSharp's dispose-scope statistics) around many steps: after a
/// warm-up step, which may create state the plugin keeps, the count must not grow.
/// </summary>
internal static class TensorLeakCheck
{
    public const string Name = "no tensors leak over the steps";

    public static void Run(CheckRunner runner, int steps, Action step)
    {
        runner.Run($"no tensors leak over {steps} steps", () =>
        {
            step();
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (int i = 1; i < steps; i++)
            {
                step();
            }

            long grown = DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
            ConformanceViolation.Unless(
                grown <= 0,
                $"{grown} more tensors were alive after {steps} steps than after the first; a tensor made in a step is not disposed (use torch.NewDisposeScope()).");
        });
    }
}
