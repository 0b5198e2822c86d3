using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// Runs modules one after another, releasing each intermediate once the next module has it (see ConvNormRelu);
/// the input stays the caller's, and a module that hands back what it was given keeps it alive.
/// </summary>
internal static class ModuleChain
{
    public static Tensor Through(IEnumerable<nn.Module<Tensor, Tensor>> modules, Tensor input)
    {
        var current = input;
        foreach (var module in modules)
        {
            var next = module.call(current);
            if (!ReferenceEquals(current, input) && !ReferenceEquals(current, next))
            {
                current.Dispose();
            }

            current = next;
        }

        return current;
    }
}
