using System.Security.Cryptography;
using System.Text;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Sdk.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Pruning;

/// <summary>
/// Uniform noise in [0, 1) per weight, from a generator seeded by the pruning seed and the layer's name, so a
/// layer's scores do not depend on which other layers were scored before it.
/// </summary>
[CompatLabPlugin(
    PluginKind.PruningCriterion,
    "random",
    Description = "Keep a random subset: seeded uniform noise per weight (seed and layer name).")]
public sealed class RandomScore : IPruningCriterion
{
    public Tensor Score(IMaskableLayer layer, PruningContext context)
    {
        using var generator = new Generator((ulong)LayerSeed(context.Seed, layer.LayerName));
        var noise = rand(layer.Weight.shape, generator: generator, dtype: layer.Weight.dtype);
        return MaskAccess.OnWeightDevice(noise, layer);
    }

    /// <summary>The first 8 bytes of SHA-256("seed/layer name"), non-negative: stable across runs and platforms.</summary>
    public static long LayerSeed(int seed, string layerName)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{layerName}"));
        return BitConverter.ToInt64(hash, 0) & long.MaxValue;
    }
}
