using CompatLab.Engine.Plugins;
using CompatLab.Engine.Training;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Protocols;

/// <summary>A plugin's constructor gets the host's services (log, seed streams, device) of the run it is made for.</summary>
public sealed class PluginServiceInjectionTests
{
    [Fact]
    public void APluginConstructorGetsTheRunsLogSeedStreamsAndDevice()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FakeProtocolPlugin.Experiment(scratch.Root, FakeProtocolPlugin.Name));
        using var run = InProcessRun.Open(file);

        run.Run();

        var metrics = Directory.GetFiles(run.Experiment.RunFolder, "*.jsonl", SearchOption.AllDirectories).SelectMany(File.ReadAllLines).ToList();
        string seed = Assert.Single(metrics, l => l.Contains("\"fake.injected_seed\"", StringComparison.Ordinal));
        Assert.Contains(SeedDerivation.DeriveInt(3, "fake").ToString(System.Globalization.CultureInfo.InvariantCulture), seed, StringComparison.Ordinal);
        string device = Assert.Single(metrics, l => l.Contains("\"fake.same_device\"", StringComparison.Ordinal));
        Assert.Contains("1", device.Split("fake.same_device")[1], StringComparison.Ordinal);
    }

    [Fact]
    public void AConstructorParameterTheHostDoesNotProvideIsRefusedAtLoad()
    {
        using var scratch = new ScratchFolder();
        string directory = FakeProtocolPlugin.Build(scratch.Root, "NeedyProtocols", FakeProtocolPlugin.NeedySource);

        var error = Assert.Throws<PluginLoadException>(() => PluginCatalog.Load(new[] { directory }));

        Assert.Contains("NeedyProtocols.Needy (protocol 'needy')", error.Message, StringComparison.Ordinal);
        Assert.Contains("constructor parameter 'notAService' of type System.Text.StringBuilder is not something the host provides; a plugin constructor may take IPluginLog, ITelemetrySink, ISeedStreams, Device", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutsideARunAPluginThatTakesServicesCanStillBeMadeToCheckTheSpec()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FakeProtocolPlugin.Experiment(scratch.Root, FakeProtocolPlugin.Name));

        using var run = InProcessRun.Open(file); // the resolver makes the protocol (log, seeds, device) to check the spec

        Assert.Equal(FakeProtocolPlugin.Name, run.Experiment.Protocol.Descriptor.Name);
    }
}
