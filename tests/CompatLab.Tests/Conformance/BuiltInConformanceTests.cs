using System.Reflection;
using CompatLab.Abstractions.Plugins;
using CompatLab.Testing;
using Xunit;

namespace CompatLab.Tests.Conformance;

/// <summary>
/// Every built-in plugin passes the conformance kit that outside plugins are held to. Protocols are the exception:
/// they compose the engine's stages, which the engine-free kit cannot run; <see cref="BuiltInProtocolTests"/> runs
/// each through the protocol kit's ProtocolExperiment instead.
/// </summary>
// Compares seeded runs exactly: torch's global generator (which model building seeds) must not be shared with other tests.
[Collection(CompatLab.Tests.Backbones.TorchRandomCollection.Name)]
public class BuiltInConformanceTests
{
    public static TheoryData<string, string> BuiltIns()
    {
        var data = new TheoryData<string, string>();
        foreach (var attribute in BuiltInPluginTypes.All.Select(t => t.GetCustomAttribute<CompatLabPluginAttribute>()!).Where(a => a.Kind != PluginKind.Protocol))
        {
            data.Add(attribute.Kind.ToString(), attribute.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void BuiltInPluginConforms(string kind, string name)
    {
        var pluginKind = Enum.Parse<PluginKind>(kind);
        string scratch = Directory.CreateTempSubdirectory("compatlab-conformance-").FullName;
        try
        {
            var report = ConformanceKit.Check(BuiltInPluginTypes.Find(pluginKind, name), BuiltInConformanceSettings.For(pluginKind, name, scratch));
            Assert.True(report.Passed, report.ToString());
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public void EveryKindHasBuiltInsToCheck()
    {
        var kinds = BuiltInPluginTypes.All.Select(t => t.GetCustomAttribute<CompatLabPluginAttribute>()!.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<PluginKind>().ToHashSet(), kinds);
        Assert.Contains(PluginKind.Protocol, kinds); // present, though checked by ProtocolPluginTests, not the kit
    }
}
