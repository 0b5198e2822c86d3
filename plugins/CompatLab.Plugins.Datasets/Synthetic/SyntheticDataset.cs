using System.Globalization;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Datasets.Sampling;
using CompatLab.Sdk.Options;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Synthetic;

[CompatLabPlugin(
    PluginKind.Dataset,
    PluginName,
    Description = "Seeded generated images: each class a smooth random pattern, shifted and noised; optionally in clusters of near-identical classes.",
    Options = typeof(SyntheticDatasetOptions))]
public sealed class SyntheticDataset : IDatasetProvider
{
    public const string PluginName = "synthetic";

    private readonly SyntheticDatasetOptions options;

    public SyntheticDataset(SyntheticDatasetOptions options)
    {
        OptionsGuard.Checked(options, "dataset", PluginName);
        this.options = options;
    }

    public DatasetBundle Load(DatasetLoadContext context)
    {
        int seed = options.Seed != 0 ? options.Seed : context.Seed;
        using var scope = NewDisposeScope();
        var templates = SyntheticTemplates.Create(options, seed);

        using var trainGenerator = SeedStreams.Create(seed, RandomStream.TrainSamples);
        var train = SyntheticSampler.Sample(templates, options.TrainPerClass, options.Size, options.Noise, trainGenerator);
        using var testGenerator = SeedStreams.Create(seed, RandomStream.TestSamples);
        var test = SyntheticSampler.Sample(templates, options.TestPerClass, options.Size, options.Noise, testGenerator);

        string[] classNames = Enumerable.Range(0, options.Classes)
            .Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new DatasetBundle(PluginName, train, test, classNames);
    }
}
