using System.ComponentModel;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using static TorchSharp.torch;

namespace MyCriterion;

public sealed class MyCriterionOptions : IValidatableOptions
{
    [Description("Exponent applied to the weight magnitude.")]
    public double Power { get; set; } = 2.0;

    public IEnumerable<string> Validate()
    {
        if (!(double.IsFinite(Power) && Power > 0))
        {
            yield return $"Option 'power' must be a positive number; got {Power}.";
        }
    }
}

/// <summary>
/// A pruning criterion scores every weight of a maskable layer; the host keeps the highest-scoring fraction (per
/// layer or globally). This one scores |W|^power.
/// </summary>
[CompatLabPlugin(PluginKind.PruningCriterion, "my-criterion", Description = "Weight magnitude raised to a power.", Options = typeof(MyCriterionOptions))]
public sealed class MyCriterion : IPruningCriterion
{
    private readonly double power;

    public MyCriterion(MyCriterionOptions options)
    {
        if (options.Validate().FirstOrDefault() is { } problem)
        {
            throw new CompatLabUserException($"pruning criterion 'my-criterion': {problem}");
        }

        power = options.Power;
    }

    public Tensor Score(IMaskableLayer layer, PruningContext context)
    {
        // Scores are data, not part of training: no gradient tape.
        using var noGrad = no_grad();
        return layer.Weight.abs().pow(power);
    }
}
