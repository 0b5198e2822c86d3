using CompatLab.Abstractions.Data;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>The checks for a dataset provider: what it loads, that it repeats, and that disposing frees it.</summary>
internal static class DatasetChecks
{
    public static void Run(CheckRunner runner, PluginFactory factory, ConformanceSettings settings)
    {
        var provider = factory.Create<IDatasetProvider>();
        runner.Run("loads float images [N, C, H, W] and labels in range, on the CPU", () =>
        {
            using var bundle = provider.Load(new DatasetLoadContext(settings.Seed));
            Expect(bundle.Train, bundle.ClassCount, "train");
            Expect(bundle.Test, bundle.ClassCount, "test");
            ConformanceViolation.Unless(
                bundle.Train.Images.shape.Skip(1).SequenceEqual(bundle.Test.Images.shape.Skip(1)),
                "train and test images differ in channels or size.");
        });
        runner.Run("a seeded run repeats exactly", () =>
        {
            using var first = factory.Create<IDatasetProvider>().Load(new DatasetLoadContext(settings.Seed));
            using var second = factory.Create<IDatasetProvider>().Load(new DatasetLoadContext(settings.Seed));
            TensorExpect.Same(first.Train.Images, second.Train.Images, "the train images");
            TensorExpect.Same(first.Train.Labels, second.Train.Labels, "the train labels");
            TensorExpect.Same(first.Test.Images, second.Test.Images, "the test images");
        });
        TensorLeakCheck.Run(runner, settings.LeakSteps, () =>
        {
            using var scope = NewDisposeScope();
            provider.Load(new DatasetLoadContext(settings.Seed)).Dispose();
        });
        BadOptionsCheck.Run(runner, factory, settings, overrides =>
            factory.Create<IDatasetProvider>(overrides).Load(new DatasetLoadContext(settings.Seed)).Dispose());
    }

    private static void Expect(LabelledImages set, int classes, string split)
    {
        ConformanceViolation.Unless(set.Count > 0, $"the {split} set is empty.");
        ConformanceViolation.Unless(set.Images.dtype == ScalarType.Float32, $"the {split} images are {set.Images.dtype}, expected Float32.");
        ConformanceViolation.Unless(set.Labels.dtype == ScalarType.Int64, $"the {split} labels are {set.Labels.dtype}, expected Int64.");
        TensorExpect.OnDevice(set.Images, CPU, $"the {split} images");
        TensorExpect.Finite(set.Images, $"the {split} images");
        long low = set.Labels.min().item<long>();
        long high = set.Labels.max().item<long>();
        ConformanceViolation.Unless(low >= 0 && high < classes, $"the {split} labels run from {low} to {high}; expected 0 to {classes - 1}.");
    }
}
