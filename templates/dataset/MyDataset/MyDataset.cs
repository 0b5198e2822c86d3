using System.ComponentModel;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Plugins;
using static TorchSharp.torch;

namespace MyDataset;

public sealed class MyDatasetOptions : IValidatableOptions
{
    [Description("Number of classes (at least 2).")]
    public int Classes { get; set; } = 4;

    [Description("Training images per class; the test set has half as many (at least one).")]
    public int PerClass { get; set; } = 16;

    [Description("Image side in pixels (one grey channel).")]
    public int Size { get; set; } = 8;

    public IEnumerable<string> Validate()
    {
        if (Classes < 2)
        {
            yield return $"Option 'classes' must be at least 2; got {Classes}.";
        }

        if (PerClass < 2)
        {
            yield return $"Option 'perClass' must be at least 2; got {PerClass}.";
        }

        if (Size < 1)
        {
            yield return $"Option 'size' must be at least 1; got {Size}.";
        }
    }
}

/// <summary>
/// A dataset plugin loads its images once, into CPU tensors: float32 [N, C, H, W] and int64 labels. This one makes
/// noisy images around one random template per class, drawn from the run seed so every run sees the same data.
/// Real data sets read files here and throw CompatLabUserException naming a bad or missing file.
/// </summary>
[CompatLabPlugin(PluginKind.Dataset, "my-dataset", Description = "Noisy images around one seeded template per class.", Options = typeof(MyDatasetOptions))]
public sealed class MyDataset : IDatasetProvider
{
    private readonly MyDatasetOptions options;

    public MyDataset(MyDatasetOptions options)
    {
        if (options.Validate().FirstOrDefault() is { } problem)
        {
            throw new CompatLabUserException($"dataset 'my-dataset': {problem}");
        }

        this.options = options;
    }

    public DatasetBundle Load(DatasetLoadContext context)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)context.Seed);
        var templates = randn([options.Classes, 1, options.Size, options.Size], generator: generator);
        var train = Split(templates, options.PerClass, generator);
        var test = Split(templates, Math.Max(1, options.PerClass / 2), generator);
        var names = Enumerable.Range(0, options.Classes).Select(c => $"class-{c}").ToList();
        return new DatasetBundle("my-dataset", train, test, names); // LabelledImages keeps its tensors out of the scope
    }

    private LabelledImages Split(Tensor templates, int perClass, Generator generator)
    {
        var labels = arange(options.Classes, dtype: ScalarType.Int64).repeat_interleave(perClass);
        var noise = randn([labels.shape[0], 1, options.Size, options.Size], generator: generator).mul(0.3);
        return new LabelledImages(templates.index_select(0, labels).add(noise), labels);
    }
}
