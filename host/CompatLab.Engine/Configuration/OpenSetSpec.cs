using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// The `open-set` protocol's held-out split, used when the dataset names no query and gallery sets of its own:
/// a seeded share of the classes leaves training, and their test images become the queries and the gallery.
/// </summary>
public sealed class OpenSetSpec
{
    [Description("Share of the classes held out of training (drawn with a seeded stream); their test images make the query and gallery sets. Strictly between 0 and 1.")]
    public double HeldOutFraction { get; set; } = 0.3;

    [Description("Share of every held-out class's test images that become queries; the rest are its gallery. Strictly between 0 and 1.")]
    public double QueryFraction { get; set; } = 0.5;
}
