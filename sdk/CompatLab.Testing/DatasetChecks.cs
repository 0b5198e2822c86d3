using CompatLab.Abstractions.Data;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>
/// The checks for a dataset provider: what it loads, that it repeats, and that disposing frees it. Sets are read
/// through <see cref="ISampleSet"/> (contract 1.3), as the host reads them, at up to <see cref="Probes"/> indices
/// spread over each set, so a set that decodes files on demand is checked without decoding all of them.
/// </summary>
internal static class DatasetChecks
{
    private const int Probes = 64;

    public static void Run(CheckRunner runner, PluginFactory factory, ConformanceSettings settings)
    {
        var provider = factory.Create<IDatasetProvider>();
        runner.Run("loads float images [N, C, H, W] and labels in range, on the CPU", () =>
        {
            using var bundle = provider.Load(new DatasetLoadContext(settings.Seed));
            Expect(bundle.TrainSet, bundle.ClassCount, "train");
            Expect(bundle.TestSet, bundle.ClassCount, "test");
            ConformanceViolation.Unless(
                bundle.TrainSet.SampleShape.SequenceEqual(bundle.TestSet.SampleShape),
                "train and test images differ in channels or size.");
        });
        runner.Run("a seeded run repeats exactly, and a sample is the same whatever the batch", () =>
        {
            using var first = factory.Create<IDatasetProvider>().Load(new DatasetLoadContext(settings.Seed));
            using var second = factory.Create<IDatasetProvider>().Load(new DatasetLoadContext(settings.Seed));
            var augmented = new SamplePass(settings.Seed, 1, Augment: true);
            SameSamples(first.TrainSet, second.TrainSet, augmented, "the train images");
            TensorExpect.Same(first.TrainSet.Labels, second.TrainSet.Labels, "the train labels");
            SameSamples(first.TestSet, second.TestSet, SamplePass.Evaluation, "the test images");
            ConformanceViolation.Unless(first.TrainSet.ContentDigest == second.TrainSet.ContentDigest, "the train set's ContentDigest differs between two loads.");
            BatchIndependent(first.TrainSet, augmented);
        });
        TensorLeakCheck.Run(runner, settings.LeakSteps, () =>
        {
            using var scope = NewDisposeScope();
            provider.Load(new DatasetLoadContext(settings.Seed)).Dispose();
        });
        BadOptionsCheck.Run(runner, factory, settings, overrides =>
            factory.Create<IDatasetProvider>(overrides).Load(new DatasetLoadContext(settings.Seed)).Dispose());
    }

    private static long[] ProbeIndices(ISampleSet set)
    {
        long count = Math.Min(Probes, set.Count);
        return Enumerable.Range(0, (int)count).Select(i => i * set.Count / count).ToArray();
    }

    private static void Expect(ISampleSet set, int classes, string split)
    {
        ConformanceViolation.Unless(set.Count > 0, $"the {split} set is empty.");
        ConformanceViolation.Unless(set.SampleShape.Count == 3, $"the {split} set's SampleShape is [{string.Join(", ", set.SampleShape)}], expected [C, H, W].");
        ConformanceViolation.Unless(set.Labels.dtype == ScalarType.Int64, $"the {split} labels are {set.Labels.dtype}, expected Int64.");
        TensorExpect.Shape(set.Labels, [set.Count], $"the {split} labels");
        using var scope = NewDisposeScope();
        var probes = ProbeIndices(set);
        var images = set.Load(probes, SamplePass.Evaluation);
        ConformanceViolation.Unless(images.dtype == ScalarType.Float32, $"the {split} images are {images.dtype}, expected Float32.");
        TensorExpect.Shape(images, [probes.Length, .. set.SampleShape], $"the {split} images Load returns");
        TensorExpect.OnDevice(images, CPU, $"the {split} images");
        TensorExpect.Finite(images, $"the {split} images");
        long low = set.Labels.min().item<long>();
        long high = set.Labels.max().item<long>();
        ConformanceViolation.Unless(low >= 0 && high < classes, $"the {split} labels run from {low} to {high}; expected 0 to {classes - 1}.");
    }

    private static void SameSamples(ISampleSet first, ISampleSet second, SamplePass pass, string what)
    {
        using var scope = NewDisposeScope();
        ConformanceViolation.Unless(first.Count == second.Count, $"{what}: {first.Count} samples, then {second.Count}.");
        TensorExpect.Same(first.Load(ProbeIndices(first), pass), second.Load(ProbeIndices(second), pass), what);
    }

    // Augmentation is seeded by (pass, index) only, so the host may batch, reorder and prefetch freely.
    private static void BatchIndependent(ISampleSet set, SamplePass pass)
    {
        using var scope = NewDisposeScope();
        var probes = ProbeIndices(set);
        var together = set.Load(Enumerable.Reverse(probes).ToArray(), pass).flip(0);
        var alone = cat(probes.Select(i => set.Load([i], pass)).ToList(), 0);
        ConformanceViolation.Unless(
            together.eq(alone).all().item<bool>(),
            "a train sample differs when loaded in a reversed batch and on its own; seed each sample's augmentation from (pass.Seed, pass.Epoch, index) only.");
    }
}
