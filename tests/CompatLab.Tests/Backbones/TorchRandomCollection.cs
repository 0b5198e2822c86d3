using Xunit;

namespace CompatLab.Tests.Backbones;

/// <summary>
/// Tests that seed torch's global generator and compare what it draws. They run apart from every other test, so
/// no test elsewhere can draw from the generator between the seed and the comparison.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRandomCollection
{
    public const string Name = "Backbones: seeded torch generator";
}
