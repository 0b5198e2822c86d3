using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Classifiers;

/// <summary>Checks that the old classifier fits the new training set and gives the class id of each of its rows.</summary>
internal static class OldClassifierRows
{
    /// <returns>The class ids of the classifier rows as an int64 tensor [rows].</returns>
    public static Tensor Of(IOldModel old, int classCount, Tensor trainedRows, Tensor? trainedBias, Tensor classMeans)
    {
        IReadOnlyList<int> classes = old.ClassifierClasses;
        foreach (int id in classes.Where(id => id < 0 || id >= classCount))
        {
            throw new CompatLabUserException(
                $"The old model's classifier has a row for class {id}, but the new training set has {classCount} classes " +
                $"(0..{classCount - 1}); was the old model trained on another dataset?");
        }

        if (classes.Distinct().Count() != classes.Count)
        {
            throw new CompatLabUserException(
                $"The old model's classifier names a class more than once ({string.Join(", ", classes)}); each class needs one row.");
        }

        long width = old.EmbeddingDim;
        Expect(trainedRows.shape, [classes.Count, width], "classifier weight");
        Expect(classMeans.shape, [classCount, width], "old class means");
        if (trainedBias is { } bias)
        {
            Expect(bias.shape, [classes.Count], "classifier bias");
        }

        return tensor(classes.Select(id => (long)id).ToArray(), dtype: ScalarType.Int64);
    }

    private static void Expect(long[] actual, long[] expected, string what)
    {
        if (!actual.SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"The old model's {what} is [{string.Join(", ", actual)}]; expected [{string.Join(", ", expected)}].");
        }
    }
}
