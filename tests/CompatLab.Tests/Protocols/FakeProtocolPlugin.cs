using CompatLab.Tests.Support;

namespace CompatLab.Tests.Protocols;

/// <summary>
/// A protocol plugin from outside, compiled at test time against the contract and the engine: it checks the seed,
/// remembers what Prepare saw, logs a metric and returns fixed scores. A second class implements only the marker
/// contract, which the engine must refuse.
/// </summary>
internal static class FakeProtocolPlugin
{
    public const string Name = "fake-protocol";

    public const string HalfName = "half-protocol";

    private const string Source = """
        using System;
        using System.Collections.Generic;
        using CompatLab.Abstractions.Hosting;
        using CompatLab.Abstractions.Plugins;
        using CompatLab.Abstractions.Protocols;
        using CompatLab.Engine.Configuration;
        using CompatLab.Engine.Evaluation;
        using CompatLab.Engine.Runs;

        namespace FakeProtocols;

        [CompatLabPlugin(PluginKind.Protocol, "fake-protocol")]
        public sealed class FakeProtocol : IProtocol
        {
            private readonly IPluginLog log;
            private readonly ISeedStreams seeds;
            private readonly TorchSharp.torch.Device device;
            private int classes = -1;

            public FakeProtocol(IPluginLog log, ISeedStreams seeds, TorchSharp.torch.Device device)
            {
                this.log = log;
                this.seeds = seeds;
                this.device = device;
            }

            public IEnumerable<(string Key, string Problem)> Check(ExperimentSpec spec) =>
                spec.Seed == 99 ? new[] { ("seed", "the fake protocol refuses seed 99") } : Array.Empty<(string, string)>();

            public void Prepare(RunSession session) => classes = session.Dataset.ClassCount;

            public RunResult Run(RunSession session)
            {
                if (session.Spec.Seed == 7)
                {
                    throw new InvalidOperationException("the fake protocol broke");
                }

                session.Log.Metric("fake.classes", classes, 0);
                log.Metric("fake.injected_seed", seeds.IntSeed("fake"), 0);
                log.Metric("fake.same_device", ReferenceEquals(device, session.Device) ? 1 : 0, 0);
                var scores = new RetrievalScores(0.25, 0.5, 100, 0.75);
                return new RunResult(session.Experiment.Label, "fake", session.Spec.Seed, session.RunFolder, scores, scores, scores);
            }

            public void Dispose()
            {
            }
        }

        [CompatLabPlugin(PluginKind.Protocol, "half-protocol")]
        public sealed class HalfProtocol : IExperimentProtocol
        {
        }
        """;

    /// <summary>A protocol whose constructor asks for something the host does not provide.</summary>
    public const string NeedySource = """
        using CompatLab.Abstractions.Plugins;
        using CompatLab.Abstractions.Protocols;

        namespace NeedyProtocols;

        [CompatLabPlugin(PluginKind.Protocol, "needy")]
        public sealed class Needy : IExperimentProtocol
        {
            public Needy(System.Text.StringBuilder notAService)
            {
            }
        }
        """;

    /// <summary>Builds the plugin into &lt;root&gt;/plugins/FakeProtocols/ and returns the plugin directory.</summary>
    public static string Build(string root, string name = "FakeProtocols", string source = Source)
    {
        string directory = Path.Combine(root, "plugins");
        string Host(string file) => Path.Combine(AppContext.BaseDirectory, file);
        AssemblyCompiler.Compile(
            Path.Combine(directory, name, name + ".dll"),
            name,
            source,
            Host("CompatLab.Abstractions.dll"),
            Host("CompatLab.Engine.dll"),
            Host("TorchSharp.dll"),
            Host("Microsoft.Extensions.Configuration.Abstractions.dll"));
        return directory;
    }

    /// <summary>The tiny experiment with data.split.type <paramref name="protocol"/>, its output and plugins under <paramref name="root"/>.</summary>
    public static string Experiment(string root, string protocol, int seed = 3)
    {
        string plugins = Build(root).Replace("\\", "/", StringComparison.Ordinal);
        string output = Path.Combine(root, "runs").Replace("\\", "/", StringComparison.Ordinal);
        return TinyExperiment.Json(extra: $$""", "tracking": { "trackers": [] }, "plugins": { "directories": ["{{plugins}}"] }""")
            .Replace("\"type\": \"extended-class\"", $"\"type\": \"{protocol}\"", StringComparison.Ordinal)
            .Replace("\"seed\": 3", $"\"seed\": {seed}", StringComparison.Ordinal)
            .Replace("\"output\": \"runs\"", $"\"output\": \"{output}\"", StringComparison.Ordinal);
    }
}
