using CompatLab.Engine.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>Creates the configured optimiser over the parameters that require gradients.</summary>
public static class OptimizerFactory
{
    public static IReadOnlyList<string> Types => OptimizerSpec.Types;

    public static OptimizerHelper Create(OptimizerSpec spec, IEnumerable<Parameter> parameters)
    {
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        return spec.Type switch
        {
            "adamw" => optim.AdamW(trainable, spec.Lr, spec.Beta1, spec.Beta2, 1e-8, spec.WeightDecay),
            _ => optim.SGD(trainable, spec.Lr, spec.Momentum, 0, spec.WeightDecay, spec.Nesterov),
        };
    }

    public static void SetLearningRate(OptimizerHelper optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }
}
