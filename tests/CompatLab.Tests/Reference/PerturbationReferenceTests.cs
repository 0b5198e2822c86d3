using Xunit;

namespace CompatLab.Tests.Reference;

/// <summary>
/// ndpp and odpp against their references over several steps with a short refresh interval, so the new-prototype
/// averages, the feature bank, the refresh schedule, the perturbation solve, the eps clip and the refresh telemetry
/// are all compared, as well as the loss and its gradient at every step (before and after refreshes).
/// </summary>
public class PerturbationReferenceTests
{
    private static readonly long[] AllSix = [0, 1, 2, 3, 4, 5, 0, 2, 4, 1];
    private static readonly long[] NoClassFive = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4];
    private static readonly long[] FewClasses = [0, 1, 1, 2, 0, 2, 1, 0];

    [Fact]
    public void NdppMatchesTheReference() => LossReferenceTests.Verify(
        Case("ndpp", "k-reduced-to-other-classes", new() { ["RefreshInterval"] = 2L, ["Neighbours"] = 9 }, seed: 41, classes: 4, newWidth: 6, FewClasses, FewClasses, FewClasses, FewClasses, FewClasses),
        Case("ndpp", "clipped-to-eps", new() { ["RefreshInterval"] = 2L, ["Neighbours"] = 2, ["Temperature"] = 0.5, ["Beta"] = 3.0, ["Eps"] = 0.1 }, seed: 42, classes: 6, newWidth: 6, AllSix, AllSix, AllSix, AllSix),
        Case("ndpp", "unseen-class-at-refresh-wider-new", new() { ["RefreshInterval"] = 2L, ["Momentum"] = 0.5 }, seed: 43, classes: 6, newWidth: 9, NoClassFive, NoClassFive, AllSix, AllSix, NoClassFive),
        Case("ndpp", "beta-zero-is-bct-proto", new() { ["RefreshInterval"] = 1L, ["Beta"] = 0.0 }, seed: 44, classes: 6, newWidth: 4, AllSix, AllSix));

    [Fact]
    public void OdppMatchesTheReference() => LossReferenceTests.Verify(
        Case("odpp", "refreshes", new() { ["RefreshInterval"] = 2L, ["Steps"] = 5, ["LearningRate"] = 0.02 }, seed: 51, classes: 4, newWidth: 6, FewClasses, FewClasses, FewClasses, FewClasses, FewClasses),
        Case("odpp", "bank-wraps-eps-bound", new() { ["RefreshInterval"] = 2L, ["Steps"] = 4, ["LearningRate"] = 0.05, ["BankSize"] = 12L, ["Eps"] = 0.05, ["Alpha"] = 0.5, ["Mu"] = 0.5 }, seed: 52, classes: 6, newWidth: 9, AllSix, NoClassFive, AllSix, NoClassFive),
        Case("odpp", "eps-zero-is-bct-proto", new() { ["RefreshInterval"] = 1L, ["Steps"] = 3, ["Eps"] = 0.0 }, seed: 53, classes: 6, newWidth: 4, AllSix, AllSix));

    private static LossCase Case(string method, string name, Dictionary<string, object> options, long seed, int classes, long newWidth, params long[][] steps)
    {
        var inputs = new LossInputs(classes, width: 6, seed);
        return new LossCase
        {
            Method = method,
            Name = name,
            Options = options,
            ClassMeans = inputs.ClassMeans,
            Steps = steps.Select(labels => inputs.Step(labels, newWidth)).ToList(),
        };
    }
}
