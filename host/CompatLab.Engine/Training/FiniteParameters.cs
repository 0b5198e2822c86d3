using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>Whether every parameter and buffer of a module is finite: one reduction and one read for the whole module.</summary>
public static class FiniteParameters
{
    /// <summary>The name of the first parameter or buffer holding a NaN or infinity, or null when all are finite.</summary>
    public static string? FirstNonFinite(nn.Module module)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var named = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(module.named_buffers().Where(b => b.buffer.is_floating_point()).Select(b => (b.name, b.buffer)))
            .ToList();
        if (named.Count == 0)
        {
            return null;
        }

        // One flag per tensor, stacked, so the device is read once however many tensors the module has.
        var finite = stack(named.Select(n => n.Item2.isfinite().all()).ToArray()).cpu().data<bool>().ToArray();
        int bad = Array.IndexOf(finite, false);
        return bad < 0 ? null : named[bad].Item1;
    }
}
