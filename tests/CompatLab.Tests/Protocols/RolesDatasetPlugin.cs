using CompatLab.Tests.Support;

namespace CompatLab.Tests.Protocols;

/// <summary>
/// A dataset plugin built at test time whose data names its query and gallery sets, as an image list's role column
/// does: classes 0-3 train, classes 4-5 are queries and gallery. With leak: true class 4 is in training as well; with
/// onDemand: true every set loads rows on request instead of being a LabelledImages.
/// </summary>
internal static class RolesDatasetPlugin
{
    public const string Name = "roles";

    private const string Source = """
        using System.Linq;
        using CompatLab.Abstractions.Data;
        using CompatLab.Abstractions.Plugins;
        using static TorchSharp.torch;

        namespace Roles;

        public sealed class RolesOptions
        {
            public bool Leak { get; set; }
            public bool OnDemand { get; set; }
        }

        // Loads rows on request from a tensor it hides, as a set that decodes files would.
        public sealed class OnDemandSet : ISampleSet
        {
            private readonly LabelledImages inner;
            public OnDemandSet(LabelledImages inner) => this.inner = inner;
            public long Count => inner.Count;
            public Tensor Labels => inner.Labels;
            public System.Collections.Generic.IReadOnlyList<long> SampleShape => inner.SampleShape;
            public Tensor Load(System.ReadOnlySpan<long> indices, SamplePass pass) => inner.Load(indices, pass);
            public ISampleSet Subset(Tensor indices) => new OnDemandSet(inner.Select(indices));
            public void Dispose() => inner.Dispose();
        }

        [CompatLabPlugin(PluginKind.Dataset, "roles", Options = typeof(RolesOptions))]
        public sealed class RolesDataset : IDatasetProvider
        {
            private readonly RolesOptions options;
            public RolesDataset(RolesOptions options) => this.options = options;

            public DatasetBundle Load(DatasetLoadContext context)
            {
                var generator = new Generator(7);
                var templates = randn(new long[] { 6, 1, 16, 16 }, generator: generator);
                LabelledImages Make(int[] classes, int perClass)
                {
                    var labels = classes.SelectMany(c => Enumerable.Repeat((long)c, perClass)).ToArray();
                    var labelTensor = tensor(labels);
                    var images = templates.index_select(0, labelTensor) + 0.3 * randn(new long[] { labels.Length, 1, 16, 16 }, generator: generator);
                    return new LabelledImages(images, labelTensor);
                }

                ISampleSet Wrap(LabelledImages set) => options.OnDemand ? new OnDemandSet(set) : set;
                var train = Wrap(Make(options.Leak ? new[] { 0, 1, 2, 3, 4 } : new[] { 0, 1, 2, 3 }, 12));
                var test = Wrap(Make(new[] { 4, 5 }, 4));
                return new DatasetBundle("roles", train, test, new[] { "a", "b", "c", "d", "e", "f" })
                {
                    Query = Wrap(Make(new[] { 4, 5 }, 3)),
                    Gallery = Wrap(Make(new[] { 4, 5 }, 4)),
                };
            }
        }
        """;

    /// <summary>Builds the plugin into &lt;root&gt;/plugins/Roles/ and returns the plugin directory to list in the experiment.</summary>
    public static string Build(string root)
    {
        string directory = Path.Combine(root, "plugins");
        AssemblyCompiler.Compile(
            Path.Combine(directory, "Roles", "Roles.dll"),
            "Roles",
            Source,
            Path.Combine(AppContext.BaseDirectory, "CompatLab.Abstractions.dll"),
            Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll"));
        return directory;
    }
}
