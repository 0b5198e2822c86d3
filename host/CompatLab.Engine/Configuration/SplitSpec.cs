using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>How the old and the new model see the training data (protocols.md, "Splits").</summary>
public sealed class SplitSpec : IValidatedSpec
{
    [Description("The protocol plugin: extended-class (old model sees some classes), extended-data (old model sees a fraction of every class), extended-backbone (as extended-class, new model on new.backbone), sequence (a chain of models on growing data) or open-set (query and gallery classes never seen in training); default from defaults.json.")]
    public string Type { get; set; } = string.Empty;

    [Description("extended-class: the classes the old model trains on; empty means the first oldClassFraction of them.")]
    public List<int> OldClasses { get; set; } = new();

    [Description("extended-class: fraction of classes (taken from the first) when oldClasses is empty.")]
    public double OldClassFraction { get; set; } = 0.5;

    [Description("extended-data: seeded fraction of every class's images the old model trains on.")]
    public double OldDataFraction { get; set; } = 0.3;

    [Description("sequence: how the data grows and the fraction each model trains on; required when type is sequence.")]
    [OptionalSection]
    public SequenceSpec? Sequence { get; set; }

    [Description("open-set: held-out classes and their query share, used when the dataset names no query and gallery sets; defaults apply when absent.")]
    [OptionalSection]
    public OpenSetSpec? OpenSet { get; set; }

    public void Validate(SpecProblems problems)
    {
        problems.Require(OldClassFraction is > 0 and < 1, "oldClassFraction", "expected a fraction strictly between 0 and 1");
        problems.Require(OldDataFraction is > 0 and <= 1, "oldDataFraction", "expected a fraction in (0, 1]");
    }
}
