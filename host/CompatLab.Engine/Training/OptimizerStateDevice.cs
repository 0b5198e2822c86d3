using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>
/// Moves an optimiser's loaded state (SGD momentum, AdamW moments) to the device of the parameters it belongs to.
/// TorchSharp creates those tensors on the CPU when it reads a state dict, and its own <c>to(device)</c> leaves the
/// SGD buffer where it is, so a run resumed on a GPU would mix devices at its first step.
/// </summary>
public static class OptimizerStateDevice
{
    public static void Follow(OptimizerHelper optimizer, Device device)
    {
        foreach (var state in optimizer.state_dict().State)
        {
            switch (state)
            {
                case SGD.State sgd:
                    sgd.momentum_buffer = Moved(sgd.momentum_buffer, device);
                    break;
                case AdamW.State adam:
                    adam.exp_avg = Moved(adam.exp_avg, device);
                    adam.exp_avg_sq = Moved(adam.exp_avg_sq, device);
                    adam.max_exp_avg_sq = Moved(adam.max_exp_avg_sq, device);
                    break;
            }
        }
    }

    private static Tensor Moved(Tensor tensor, Device device)
    {
        if (tensor is null || tensor.device == device)
        {
            return tensor!;
        }

        var moved = tensor.to(device).DetachFromDisposeScope();
        tensor.Dispose();
        return moved;
    }
}
