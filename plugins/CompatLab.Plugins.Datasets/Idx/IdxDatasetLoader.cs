using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Idx;

/// <summary>Builds a <see cref="DatasetBundle"/> from IDX files: validation, normalisation and seeded subsets.</summary>
internal static class IdxDatasetLoader
{
    /// <param name="classNames">The class names, or null to number the classes 0..K-1 with K = largest label + 1.</param>
    /// <param name="classNamesSource">Where the names come from, for messages (e.g. "the 3 classes in classNames").</param>
    public static DatasetBundle Load(
        string name,
        IdxSources sources,
        IReadOnlyList<string>? classNames,
        string classNamesSource,
        IdxLoadOptions options,
        DatasetLoadContext context)
    {
        using var scope = NewDisposeScope();
        var train = IdxSplit.Read(sources.TrainImages, sources.TrainLabels, sources.MissingFileHint);
        var test = IdxSplit.Read(sources.TestImages, sources.TestLabels, sources.MissingFileHint);
        if (test.Rows != train.Rows || test.Columns != train.Columns)
        {
            throw new CompatLabUserException(
                $"{test.ImagesPath}: expected {train.Rows} x {train.Columns} images like the training images " +
                $"({train.ImagesPath}), found {test.Rows} x {test.Columns}.");
        }

        IReadOnlyList<string> names = classNames ?? NumberedClasses(Math.Max(train.LargestLabel, test.LargestLabel) + 1);
        train.CheckLabelsBelow(names.Count, classNamesSource);
        test.CheckLabelsBelow(names.Count, classNamesSource);

        var trainSet = ToLabelledImages(train, names.Count, options.TrainLimit, options, context.Seed, RandomStream.TrainSubset);
        var testSet = ToLabelledImages(test, names.Count, options.TestLimit, options, context.Seed, RandomStream.TestSubset);
        return new DatasetBundle(name, trainSet, testSet, names);
    }

    private static LabelledImages ToLabelledImages(
        IdxSplit split, int classCount, long limit, IdxLoadOptions options, int seed, RandomStream stream)
    {
        var images = split.Images;
        var labels = split.Labels.to_type(ScalarType.Int64);
        if (limit > 0 && limit < labels.shape[0])
        {
            using var generator = SeedStreams.Create(seed, stream);
            var chosen = BalancedSubset.Indices(labels, classCount, limit, generator);
            images = images.index_select(0, chosen);
            labels = labels.index_select(0, chosen);
        }

        var normalised = images.unsqueeze(1).to_type(ScalarType.Float32)
            .div_(255.0).sub_(options.Mean).div_(options.Std);
        return new LabelledImages(normalised, labels);
    }

    private static string[] NumberedClasses(int count) =>
        Enumerable.Range(0, count).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
