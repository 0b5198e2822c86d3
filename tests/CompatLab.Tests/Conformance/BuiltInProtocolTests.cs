using System.Reflection;
using CompatLab.Abstractions.Plugins;
using CompatLab.Testing;
using CompatLab.Tests.Backbones;
using Xunit;

namespace CompatLab.Tests.Conformance;

/// <summary>
/// The conformance kit's check for a protocol is a run (CompatLab.Testing.Protocols' <see cref="ProtocolExperiment"/>,
/// the same harness the protocol template's tests use): every built-in protocol runs its tiny experiment to finite
/// scores, and a second run after losing its result reuses the trained models and gives the same row.
/// </summary>
[Collection(TorchRandomCollection.Name)] // in-process runs build from torch's global generator
public sealed class BuiltInProtocolTests
{
    public static TheoryData<string, string[]> Protocols => new()
    {
        { "extended-class", [] },
        { "extended-data", [] },
        { "extended-backbone", ["new.backbone.type=resnet-mini"] },
        { "open-set", [] },
        { "sequence", ["data.split.sequence.fractions.0=0.5", "data.split.sequence.fractions.1=1.0"] },
        { "prunnet", ["new.loss.type=", "prunnet.capacities.0=1.0", "prunnet.capacities.1=0.5"] },
    };

    [Fact]
    public void EveryBuiltInProtocolIsCovered()
    {
        var names = BuiltInPluginTypes.All.Select(t => t.GetCustomAttribute<CompatLabPluginAttribute>()!)
            .Where(a => a.Kind == PluginKind.Protocol).Select(a => a.Name).Order(StringComparer.Ordinal);

        Assert.Equal(Protocols.Select(row => (string)row[0]).Order(StringComparer.Ordinal), names);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void TheProtocolRunsToFiniteScoresAndAResumedRunGivesTheSameRow(string protocol, string[] sets)
    {
        using var experiment = ProtocolExperiment.For(BuiltInPluginTypes.Find(PluginKind.Protocol, protocol));

        var first = experiment.Run(sets);
        File.Delete(Path.Combine(first.RunFolder, "results.json"));
        var again = experiment.Run(sets);

        Assert.True(double.IsFinite(first.NewSelf.Map), $"{protocol}: new self mAP {first.NewSelf.Map}");
        Assert.Equal(first.NewSelf.Map, again.NewSelf.Map);
        Assert.Equal(first.Cross?.Map, again.Cross?.Map);
    }
}
