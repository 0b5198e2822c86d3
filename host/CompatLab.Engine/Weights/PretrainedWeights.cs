using CompatLab.Abstractions;
using CompatLab.Engine.Configuration;
using static TorchSharp.torch;

namespace CompatLab.Engine.Weights;

/// <summary>Applies a model's <c>pretrained</c> section to a freshly built trunk.</summary>
public static class PretrainedWeights
{
    private const string Arrow = "=>";

    public static WeightReport LoadInto(nn.Module trunk, PretrainedSpec spec, string backboneName)
    {
        var renames = new Dictionary<string, string>();
        foreach (string rule in spec.KeyMap)
        {
            int arrow = rule.IndexOf(Arrow, StringComparison.Ordinal);
            if (arrow <= 0)
            {
                throw new CompatLabUserException(
                    $"model.pretrained.keyMap entry '{rule}' is not a prefix rename: write \"from=>to\" (\"module.=>\" strips the prefix module.).");
            }

            renames[rule[..arrow]] = rule[(arrow + Arrow.Length)..];
        }

        return WeightLoader.Load(trunk, spec.Path, new WeightKeyMap(renames), spec.Strict, $"backbone '{backboneName}' (model.pretrained.path)");
    }
}
