using CompatLab.Tests.Losses;
using Xunit;

namespace CompatLab.Tests.Reference;

/// <summary>
/// Every built-in compatibility loss against its independent PyTorch reference (tests/reference/), several seeded
/// cases each: loss value and gradients with respect to the new embeddings (and the new classifier for lce) at every
/// step, and for ndpp/odpp the perturbation and telemetry of every refresh.
/// </summary>
public class LossReferenceTests
{
    private static readonly long[] Mixed = [0, 1, 2, 3, 0, 1, 2, 3, 0, 2];
    private static readonly long[] ClassTwoAbsent = [0, 1, 3, 3, 0, 1, 0, 3];
    private static readonly long[] SingleClass = [1, 1, 1, 1, 1];

    [Fact]
    public void IndependentMatchesTheReference() => Verify(
        Stateless("independent", "plain", null, seed: 1, (Mixed, 6)),
        Stateless("independent", "wider", null, seed: 2, (SingleClass, 9)));

    [Fact]
    public void L2MatchesTheReference() => Verify(
        Stateless("l2", "same-width", null, seed: 3, (Mixed, 6)),
        Stateless("l2", "wider-new", null, seed: 4, (Mixed, 9)),
        Stateless("l2", "narrower-new", null, seed: 5, (ClassTwoAbsent, 4)),
        Stateless("l2", "single-class", null, seed: 6, (SingleClass, 6)));

    [Fact]
    public void BctMatchesTheReference()
    {
        Verify(
            Bct("linear-all-known", seed: 7, knownClasses: [0, 1, 2, 3], cosine: false, rescale: true, Mixed, newWidth: 6),
            Bct("synthesised-rescaled", seed: 8, knownClasses: [1, 0], cosine: false, rescale: true, Mixed, newWidth: 6),
            Bct("synthesised-raw", seed: 9, knownClasses: [0, 1], cosine: false, rescale: false, Mixed, newWidth: 6),
            Bct("cosine-old-classifier", seed: 10, knownClasses: [0, 2], cosine: true, rescale: true, Mixed, newWidth: 6),
            Bct("wider-new-class-absent", seed: 11, knownClasses: [0, 1], cosine: false, rescale: true, ClassTwoAbsent, newWidth: 9),
            Bct("narrower-new-single-class", seed: 12, knownClasses: [3, 1], cosine: false, rescale: true, SingleClass, newWidth: 4));
    }

    [Fact]
    public void BctProtoMatchesTheReference() => Verify(
        Stateless("bct-proto", "default-scale", null, seed: 13, (Mixed, 6)),
        Stateless("bct-proto", "scale-5", new() { ["Scale"] = 5.0 }, seed: 14, (Mixed, 6)),
        Stateless("bct-proto", "narrower-new-class-absent", null, seed: 15, (ClassTwoAbsent, 4)),
        Stateless("bct-proto", "single-class", null, seed: 16, (SingleClass, 9)));

    [Fact]
    public void ContrastiveMatchesTheReference() => Verify(InfoNceCases("contrastive", seed: 17));

    [Fact]
    public void HotRefreshMatchesTheReference() => Verify(InfoNceCases("hot-refresh", seed: 23));

    [Fact]
    public void LceMatchesTheReference() => Verify(
        Stateless("lce", "running-boundary", null, seed: 29, (Mixed, 6), (ClassTwoAbsent, 6), (Mixed, 6)),
        Stateless("lce", "wider-new", null, seed: 30, (Mixed, 9), (SingleClass, 9)),
        Stateless("lce", "narrower-new", null, seed: 31, (ClassTwoAbsent, 4), (Mixed, 4)));

    private static LossCase[] InfoNceCases(string method, long seed) =>
    [
        Stateless(method, "default-temperature", null, seed, (Mixed, 6)),
        Stateless(method, "temperature-0.5", new() { ["Temperature"] = 0.5 }, seed + 1, (Mixed, 6)),
        Stateless(method, "class-absent-wider", null, seed + 2, (ClassTwoAbsent, 9)),
        Stateless(method, "single-class-no-negatives", null, seed + 3, (SingleClass, 6)),
    ];

    internal static void Verify(params LossCase[] cases)
    {
        var outputs = PythonReference.Run(cases.Select(c => c.ToJson()));
        var check = new ReferenceCheck(outputs);
        foreach (LossCase loss in cases)
        {
            loss.Compare(check);
        }

        check.AssertAllAgree();
    }

    /// <summary>A case over 4 classes and 6-d old embeddings; each step given by its labels and new width.</summary>
    internal static LossCase Stateless(string method, string name, Dictionary<string, object>? options, long seed, params (long[] Labels, long NewWidth)[] steps)
    {
        var inputs = new LossInputs(classes: 4, width: 6, seed);
        return new LossCase
        {
            Method = method,
            Name = name,
            Options = options,
            ClassMeans = inputs.ClassMeans,
            Steps = steps.Select(s => inputs.Step(s.Labels, s.NewWidth)).ToList(),
        };
    }

    private static LossCase Bct(string name, long seed, int[] knownClasses, bool cosine, bool rescale, long[] labels, long newWidth)
    {
        var inputs = new LossInputs(classes: 4, width: 6, seed);
        var weight = inputs.Matrix(knownClasses.Length, 6, scale: 0.7);
        var old = cosine
            ? OldModels.Cosine(weight, 12.0, knownClasses)
            : OldModels.Linear(weight, inputs.Matrix(1, knownClasses.Length).flatten(), knownClasses);
        return new LossCase
        {
            Method = "bct",
            Name = name,
            Options = new() { ["RescaleSynthesised"] = rescale },
            ClassMeans = inputs.ClassMeans,
            OldModel = old,
            Steps = [inputs.Step(labels, newWidth)],
        };
    }
}
