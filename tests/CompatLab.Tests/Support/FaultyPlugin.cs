namespace CompatLab.Tests.Support;

/// <summary>
/// A loss plugin built at test time that misbehaves on request: NaN at one step, a non-finite gradient behind a finite loss, an exception at one step or in
/// Prepare, libtorch's out-of-memory error at one step (while a flag file exists, when one is named), a loss that is not a scalar (the host then fails in its own code). It is loaded from a plugin directory like any outside plugin, so faults travel the real path.
/// </summary>
internal static class FaultyPlugin
{
    public const string Name = "faulty";

    private const string Source = """
        using CompatLab.Abstractions.Losses;
        using CompatLab.Abstractions.Plugins;
        using static TorchSharp.torch;

        namespace Faulty;

        public sealed class FaultyLossOptions
        {
            public int NanAtStep { get; set; } = -1;
            public int ThrowAtStep { get; set; } = -1;
            public int NanGradientAtStep { get; set; } = -1;
            public bool ThrowInPrepare { get; set; }
            public int NonScalarAtStep { get; set; } = -1;
            public int OomAtStep { get; set; } = -1;
            public string OomFlag { get; set; } = "";
        }

        [CompatLabPlugin(PluginKind.CompatibilityLoss, "faulty", Options = typeof(FaultyLossOptions))]
        public sealed class FaultyLoss : ICompatibilityLoss
        {
            private readonly FaultyLossOptions options;
            public FaultyLoss(FaultyLossOptions options) => this.options = options;
            public bool NeedsOldEmbeddings => false;
            public void Prepare(CompatibilityContext context)
            {
                if (options.ThrowInPrepare) throw new System.InvalidOperationException("the prototype bank is empty");
            }
            public Tensor Compute(CompatibilityBatch batch)
            {
                if (batch.Step == options.ThrowAtStep) throw new System.InvalidOperationException("the faulty loss broke on purpose");
                if (batch.Step == options.OomAtStep && (options.OomFlag.Length == 0 || System.IO.File.Exists(options.OomFlag)))
                {
                    // The words libtorch's caching allocator uses; TorchSharp raises its errors as ExternalException.
                    throw new System.Runtime.InteropServices.ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.11 GiB total capacity)");
                }
                if (batch.Step == options.NonScalarAtStep) return batch.NewEmbeddings.pow(2); // the host's backward then fails
                var loss = batch.NewEmbeddings.pow(2).mean();
                if (batch.Step == options.NanGradientAtStep)
                {
                    // Adds zero, but the square root's gradient at zero is not finite.
                    var zero = batch.NewEmbeddings - batch.NewEmbeddings.detach();
                    loss = loss + zero.abs().sqrt().sum();
                }

                return batch.Step == options.NanAtStep ? loss * double.NaN : loss;
            }
            public void Dispose() { }
        }
        """;

    /// <summary>Builds the plugin into &lt;root&gt;/plugins/Faulty/ and returns the plugin directory to list in the experiment.</summary>
    public static string Build(string root)
    {
        string directory = Path.Combine(root, "plugins");
        AssemblyCompiler.Compile(
            Path.Combine(directory, "Faulty", "Faulty.dll"),
            "Faulty",
            Source,
            Path.Combine(AppContext.BaseDirectory, "CompatLab.Abstractions.dll"),
            Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll"));
        return directory;
    }

    /// <summary>The tiny experiment with the faulty loss, its options, and output and plugins under <paramref name="root"/>.</summary>
    public static string Experiment(string root, string options, string extra = "")
    {
        string plugins = Build(root).Replace("\\", "/", StringComparison.Ordinal);
        string output = Path.Combine(root, "runs").Replace("\\", "/", StringComparison.Ordinal);
        return TinyExperiment.Json(loss: Name, extra: $$""", "tracking": { "trackers": [] }, "plugins": { "directories": ["{{plugins}}"] }{{extra}}""")
            .Replace("\"type\": \"faulty\" }", $"\"type\": \"faulty\", \"options\": {options} }}", StringComparison.Ordinal)
            .Replace("\"output\": \"runs\"", $"\"output\": \"{output}\"", StringComparison.Ordinal);
    }
}
