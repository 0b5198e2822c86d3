using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// The `sequence` protocol: models phi_1..phi_T trained one after another on growing parts of the training data,
/// each compatible with the one before it. phi_1 is trained like an old model, every later one like a new model.
/// </summary>
public sealed class SequenceSpec
{
    [Description("class (model t learns the first fractions[t] of the classes) or data (a seeded, nested fractions[t] of every class's images).")]
    public string By { get; set; } = "class";

    [Description("Growing fractions of the training data, one per model, each in (0, 1]; at least two models.")]
    public List<double> Fractions { get; set; } = new();
}
