using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// Multi-head self-attention with torchvision's (torch's nn.MultiheadAttention's) parameter names: the packed
/// query/key/value projection is "in_proj_weight"/"in_proj_bias", the output projection "out_proj". Both
/// projections come from the host's layer factory, so PrunNet can mask them; the packed one is registered as the
/// submodule "in_proj" (so it is found as a maskable layer) and its weight and bias are renamed on the way out of
/// <see cref="named_parameters"/> and <see cref="state_dict"/>, which is where torch's names come from.
/// </summary>
internal sealed class SelfAttention : nn.Module<Tensor, Tensor>
{
    private const string PackedModule = "in_proj";

    // A tuple, not module fields: TorchSharp would also register module fields under their own names, adding
    // keys torchvision does not have.
    private readonly (nn.Module<Tensor, Tensor> In, nn.Module<Tensor, Tensor> Out) projections;
    private readonly long heads;

    public SelfAttention(ILayerFactory layers, long width, long heads)
        : base(nameof(SelfAttention))
    {
        this.heads = heads;
        projections = (layers.Linear(width, 3 * width), layers.Linear(width, width));
        register_module(PackedModule, projections.In);
        register_module("out_proj", projections.Out);
    }

    public override IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true) =>
        base.named_parameters(recurse).Select(p => (TorchName(p.name), p.parameter));

    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        // This module has no buffers, so its state is exactly its (renamed) parameters.
        destination ??= new Dictionary<string, Tensor>();
        foreach (var (name, parameter) in named_parameters())
        {
            destination.TryAdd(string.IsNullOrEmpty(prefix) ? name : $"{prefix}.{name}", parameter);
        }

        return destination;
    }

    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0], tokens = input.shape[1], width = input.shape[2];
        using var packed = projections.In.call(input);
        using var split = packed.view(batch, tokens, 3, heads, width / heads).permute(2, 0, 3, 1, 4);
        using var query = split[0];
        using var key = split[1];
        using var value = split[2];
        using var scores = query.matmul(key.transpose(-2, -1)).div_(Math.Sqrt(width / heads));
        using var weights = scores.softmax(-1);
        using var mixed = weights.matmul(value);
        using var merged = mixed.transpose(1, 2).reshape(batch, tokens, width);
        return projections.Out.call(merged);
    }

    // Scores (PrunNet) keep the submodule path: only torch's own two names are mapped.
    private static string TorchName(string name) => name switch
    {
        PackedModule + ".weight" => "in_proj_weight",
        PackedModule + ".bias" => "in_proj_bias",
        _ => name,
    };
}
