using static TorchSharp.torch;

namespace CompatLab.Sdk.Integrators;

/// <summary>Stacks the per-task gradients of one tensor as [tasks, rows, row length] for batched row arithmetic.</summary>
public static class TaskGradients
{
    /// <summary>
    /// With <paramref name="rowWise"/> a row is one slice along the first dimension (one output filter of a conv
    /// weight); otherwise the whole tensor is a single row.
    /// </summary>
    public static Tensor StackRows(IReadOnlyList<Tensor> gradients, bool rowWise)
    {
        if (gradients.Count == 0)
        {
            throw new ArgumentException("an integrator needs at least one task gradient", nameof(gradients));
        }

        long[] shape = gradients[0].shape;
        for (int k = 1; k < gradients.Count; k++)
        {
            if (!gradients[k].shape.SequenceEqual(shape))
            {
                throw new ArgumentException(
                    $"task gradient {k} has shape [{string.Join(", ", gradients[k].shape)}], task 0 has [{string.Join(", ", shape)}]",
                    nameof(gradients));
            }
        }

        long rows = rowWise && shape.Length > 0 ? shape[0] : 1;
        return stack(gradients).reshape(gradients.Count, rows, -1);
    }
}
