using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Datasets.Idx;

/// <summary>Options every IDX-backed dataset shares: pixel normalisation and optional seeded subsets.</summary>
public abstract class IdxLoadOptions : IValidatableOptions
{
    protected IdxLoadOptions(double mean, double std)
    {
        Mean = mean;
        Std = std;
    }

    [Description("Pixels are scaled to [0, 1], then this is subtracted.")]
    public double Mean { get; set; }

    [Description("Pixels are divided by this after subtracting the mean.")]
    public double Std { get; set; }

    [Description("Training images to keep: 0 keeps all; otherwise a class-balanced subset chosen with the run seed, in file order.")]
    public long TrainLimit { get; set; }

    [Description("Test images to keep: 0 keeps all; otherwise a class-balanced subset chosen with the run seed, in file order.")]
    public long TestLimit { get; set; }

    public virtual IEnumerable<string> Validate()
    {
        if (!double.IsFinite(Mean))
        {
            yield return $"mean must be a finite number, got {Mean}.";
        }

        if (!double.IsFinite(Std) || Std <= 0)
        {
            yield return $"std must be a positive number, got {Std}.";
        }

        if (TrainLimit < 0)
        {
            yield return $"trainLimit must be 0 (all images) or a positive count, got {TrainLimit}.";
        }

        if (TestLimit < 0)
        {
            yield return $"testLimit must be 0 (all images) or a positive count, got {TestLimit}.";
        }
    }

    protected static IEnumerable<string> RequireNonEmpty(params (string Option, string Value, string Meaning)[] values) =>
        values.Where(v => string.IsNullOrWhiteSpace(v.Value))
            .Select(v => $"{v.Option} must not be empty: it is {v.Meaning}.");
}
