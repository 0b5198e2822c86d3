using CompatLab.Engine.Configuration;
using static TorchSharp.torch;

namespace CompatLab.Engine.Weights;

/// <summary>Applies a model's <c>pretrained</c> section to a freshly built trunk.</summary>
public static class PretrainedWeights
{
    public static WeightReport LoadInto(nn.Module trunk, PretrainedSpec spec, string backboneName)
    {
        var renames = WeightKeyMap.ParseRules(spec.KeyMap, "model.pretrained.keyMap");
        return WeightLoader.Load(trunk, spec.Path, new WeightKeyMap(renames), spec.Strict, $"backbone '{backboneName}' (model.pretrained.path)");
    }
}
