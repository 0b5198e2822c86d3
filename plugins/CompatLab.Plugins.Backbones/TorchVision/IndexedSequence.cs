using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// Modules registered as "0", "1", ... and run in turn, like torch's nn.Sequential, so that state-dict keys read
/// as torchvision's (features.3.conv.1.0.weight). Intermediates are released as in <see cref="ModuleChain"/>.
/// </summary>
internal sealed class IndexedSequence : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] steps;

    public IndexedSequence(IReadOnlyList<nn.Module<Tensor, Tensor>> modules)
        : base(nameof(IndexedSequence))
    {
        steps = [.. modules];
        for (int i = 0; i < steps.Length; i++)
        {
            register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), steps[i]);
        }
    }

    public int Count => steps.Length;

    public override Tensor forward(Tensor input) => ModuleChain.Through(steps, input);
}
