using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class ClassifierSpec
{
    [Description("linear (W x + b) or cosine (scale * cos(x, w)).")]
    public string Type { get; set; } = "linear";

    [Description("Scale s of the cosine classifier.")]
    public double Scale { get; set; } = 16;
}
