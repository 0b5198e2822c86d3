using CompatLab.Abstractions.Data;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>
/// The checks for a dataset provider, through the sample contract (<see cref="ISampleSet"/>), so sets held in
/// memory and sets decoded on demand are held to the same rules: what it loads, that a sample does not depend on
/// the batch it is loaded in, that it repeats, and that disposing frees it. Each set is sampled at its first
/// <see cref="SamplesChecked"/> samples, so a large dataset is checked as fast as a small one.
/// </summary>
internal static class DatasetChecks
{
    private const int SamplesChecked = 16;

    public static void Run(CheckRunner runner, PluginFactory factory, ConformanceSettings settings)
    {
        var provider = factory.Create<IDatasetProvider>();
        var training = new SamplePass(settings.Seed, 1, Augment: true);
        runner.Run("loads float samples [N, C, H, W] and labels in range, on the CPU", () =>
        {
            using var bundle = provider.Load(new DatasetLoadContext(settings.Seed));
            foreach (var (set, name) in Sets(bundle))
            {
                Expect(set, bundle, name);
            }
        });
        runner.Run("a sample is the same whatever batch it is loaded in", () =>
        {
            using var bundle = provider.Load(new DatasetLoadContext(settings.Seed));
            using var scope = NewDisposeScope();
            long[] rows = FirstRows(bundle.TrainSet);
            var together = bundle.TrainSet.Load(rows, training);
            for (int i = rows.Length - 1; i >= 0; i--)
            {
                TensorExpect.Same(together[i], bundle.TrainSet.Load([rows[i]], training)[0], $"train sample {rows[i]} loaded alone and in a batch");
            }
        });
        runner.Run("a seeded run repeats exactly", () =>
        {
            using var first = factory.Create<IDatasetProvider>().Load(new DatasetLoadContext(settings.Seed));
            using var second = factory.Create<IDatasetProvider>().Load(new DatasetLoadContext(settings.Seed));
            using var scope = NewDisposeScope();
            foreach (var ((a, name), (b, _)) in Sets(first).Zip(Sets(second)))
            {
                TensorExpect.Same(a.Labels, b.Labels, $"the {name} labels");
                var pass = name == "train" ? training : SamplePass.Evaluation;
                TensorExpect.Same(a.Load(FirstRows(a), pass), b.Load(FirstRows(b), pass), $"the {name} samples");
            }
        });
        TensorLeakCheck.Run(runner, settings.LeakSteps, () =>
        {
            using var scope = NewDisposeScope();
            using var bundle = provider.Load(new DatasetLoadContext(settings.Seed));
            bundle.TrainSet.Load(FirstRows(bundle.TrainSet), training);
        });
        BadOptionsCheck.Run(runner, factory, settings, overrides =>
            factory.Create<IDatasetProvider>(overrides).Load(new DatasetLoadContext(settings.Seed)).Dispose());
    }

    private static IEnumerable<(ISampleSet Set, string Name)> Sets(DatasetBundle bundle)
    {
        ConformanceViolation.Unless((bundle.Query is null) == (bundle.Gallery is null), "a bundle gives both Query and Gallery or neither.");
        yield return (bundle.TrainSet, "train");
        yield return (bundle.TestSet, "test");
        if (bundle.Query is not null && bundle.Gallery is not null)
        {
            yield return (bundle.Query, "query");
            yield return (bundle.Gallery, "gallery");
        }
    }

    private static long[] FirstRows(ISampleSet set) => Enumerable.Range(0, (int)Math.Min(set.Count, SamplesChecked)).Select(i => (long)i).ToArray();

    private static void Expect(ISampleSet set, DatasetBundle bundle, string name)
    {
        ConformanceViolation.Unless(set.Count > 0, $"the {name} set is empty.");
        ConformanceViolation.Unless(set.SampleShape.SequenceEqual(bundle.TrainSet.SampleShape), $"the {name} samples are [{string.Join(", ", set.SampleShape)}], the train samples [{string.Join(", ", bundle.TrainSet.SampleShape)}].");
        ConformanceViolation.Unless(set.Labels.dtype == ScalarType.Int64 && set.Labels.shape.SequenceEqual([set.Count]), $"the {name} labels are {set.Labels.dtype} [{string.Join(", ", set.Labels.shape)}], expected Int64 [{set.Count}].");
        long low = set.Labels.min().item<long>();
        long high = set.Labels.max().item<long>();
        ConformanceViolation.Unless(low >= 0 && high < bundle.ClassCount, $"the {name} labels run from {low} to {high}; expected 0 to {bundle.ClassCount - 1}.");
        using var scope = NewDisposeScope();
        long[] rows = FirstRows(set);
        var samples = set.Load(rows, SamplePass.Evaluation);
        ConformanceViolation.Unless(samples.dtype == ScalarType.Float32, $"the {name} samples are {samples.dtype}, expected Float32.");
        ConformanceViolation.Unless(samples.shape.SequenceEqual(new[] { (long)rows.Length }.Concat(set.SampleShape)), $"Load gave [{string.Join(", ", samples.shape)}] for {rows.Length} {name} samples of [{string.Join(", ", set.SampleShape)}].");
        TensorExpect.OnDevice(samples, CPU, $"the {name} samples");
        TensorExpect.Finite(samples, $"the {name} samples");
    }
}
