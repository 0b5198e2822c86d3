using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// Lays out an open-set run: the query and gallery the dataset names, or else a seeded share of the classes held
/// out of training, whose test images are split per class into queries and gallery. The new model learns every
/// training class, the old model the first oldClassFraction of them (or data.split.oldClasses). Whatever the path,
/// a class in both training and evaluation is refused by name.
/// </summary>
internal static class OpenSetSplit
{
    public static OpenSetData Make(DatasetBundle dataset, SplitSpec split, int seed)
    {
        if (dataset.Query is { } query && dataset.Gallery is { } gallery)
        {
            var trainingClasses = DistinctLabels(dataset.TrainSet.Labels);
            using var all = arange(dataset.TrainSet.Count, dtype: ScalarType.Int64);
            return Build(dataset, split, trainingClasses, all, query, gallery, ownsSets: false, $"the query ({query.Count}) and gallery ({gallery.Count}) images dataset '{dataset.Name}' names");
        }

        return HeldOut(dataset, split, seed);
    }

    private static OpenSetData HeldOut(DatasetBundle dataset, SplitSpec split, int seed)
    {
        var options = split.OpenSet ?? new OpenSetSpec();
        var (training, heldOut) = DrawClasses(dataset.ClassCount, options.HeldOutFraction, seed);
        using var scope = NewDisposeScope();
        var (queryRows, galleryRows) = SplitTestImages(dataset, heldOut, options.QueryFraction, seed);
        var heldOutIds = tensor(heldOut.Select(c => (long)c).ToArray());
        var trainRows = isin(dataset.TrainSet.Labels, heldOutIds).logical_not().nonzero().squeeze(1);
        var query = dataset.TestSet.Subset(queryRows);
        var gallery = dataset.TestSet.Subset(galleryRows);
        string names = string.Join(", ", heldOut.Select(c => ClassName(dataset, c)));
        return Build(dataset, split, training, trainRows, query, gallery, ownsSets: true, $"held-out classes {names}: {query.Count} query and {gallery.Count} gallery test images");
    }

    /// <summary>round(fraction x classes) classes drawn by a seeded permutation; at least one held out and two left to train on.</summary>
    public static (IReadOnlyList<int> Training, IReadOnlyList<int> HeldOut) DrawClasses(int classCount, double fraction, int seed)
    {
        int heldOutCount = (int)Math.Round(fraction * classCount);
        if (heldOutCount < 1 || classCount - heldOutCount < 2)
        {
            throw new CompatLabUserException(string.Create(
                CultureInfo.InvariantCulture,
                $"data.split.openSet.heldOutFraction: {fraction} of {classCount} classes holds out {heldOutCount}; open-set needs at least one held-out class and two training classes (the old model learns part of them), so choose a fraction that leaves both"));
        }

        using var generator = new Generator((ulong)seed);
        using var order = randperm(classCount, generator: generator);
        var drawn = order.data<long>().Select(c => (int)c).ToList();
        return (drawn.Skip(heldOutCount).Order().ToList(), drawn.Take(heldOutCount).Order().ToList());
    }

    /// <summary>Every held-out class's test images, permuted with a seeded generator: the first queryFraction are queries, the rest gallery.</summary>
    private static (Tensor Query, Tensor Gallery) SplitTestImages(DatasetBundle dataset, IReadOnlyList<int> heldOut, double queryFraction, int seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed + 1);
        var queries = new List<Tensor>();
        var gallery = new List<Tensor>();
        foreach (int c in heldOut)
        {
            var members = dataset.TestSet.Labels.eq(c).nonzero().squeeze(1);
            long count = members.shape[0];
            if (count < 2)
            {
                throw new CompatLabUserException(
                    $"data.split.openSet: held-out class {ClassName(dataset, c)} has {count} test image(s); it needs at least two (a query and a gallery image). Give every class two or more test images, or use other classes");
            }

            long queryCount = Math.Clamp((long)Math.Round(queryFraction * count), 1, count - 1);
            var shuffled = members.index_select(0, randperm(count, generator: generator));
            queries.Add(shuffled.narrow(0, 0, queryCount));
            gallery.Add(shuffled.narrow(0, queryCount, count - queryCount));
        }

        return (cat(queries, 0).sort().Values.MoveToOuterDisposeScope(), cat(gallery, 0).sort().Values.MoveToOuterDisposeScope());
    }

    private static OpenSetData Build(
        DatasetBundle dataset, SplitSpec split, IReadOnlyList<int> training, Tensor trainRows, ISampleSet query, ISampleSet gallery, bool ownsSets, string origin)
    {
        StageData? @new = null;
        try
        {
            using var scope = NewDisposeScope();
            if (training.Count < 2)
            {
                throw new CompatLabUserException(
                    $"dataset '{dataset.Name}': the training set holds {training.Count} class(es); open-set needs at least two (the old model learns part of them, the new model all)");
            }

            var oldClasses = OldClasses(dataset, split, training);

            // Checked on the rows training gets, whichever way they were chosen.
            RefuseShared(dataset, DistinctLabels(dataset.TrainSet.Labels.index_select(0, trainRows)), DistinctLabels(query.Labels).Union(DistinctLabels(gallery.Labels)));
            @new = new StageData(dataset.TrainSet.Subset(trainRows), training, dataset.ClassCount);
            var oldIds = tensor(oldClasses.Select(c => (long)c).ToArray());
            var oldRows = isin(@new.Images.Labels, oldIds).nonzero().squeeze(1);
            var old = new StageData(@new.Images.Subset(oldRows), oldClasses, dataset.ClassCount);
            return new OpenSetData(old, @new, query, gallery, ownsSets, origin);
        }
        catch
        {
            @new?.Dispose();
            if (ownsSets)
            {
                query.Dispose();
                gallery.Dispose();
            }

            throw;
        }
    }

    /// <summary>data.split.oldClasses when given (all of them training classes), else the first oldClassFraction of the training classes.</summary>
    private static IReadOnlyList<int> OldClasses(DatasetBundle dataset, SplitSpec split, IReadOnlyList<int> training)
    {
        if (split.OldClasses.Count > 0)
        {
            var outside = split.OldClasses.Where(c => !training.Contains(c)).Distinct().ToList();
            return outside.Count > 0
                ? throw new CompatLabUserException(
                    $"data.split.oldClasses: the old model learns training classes only, and {string.Join(", ", outside.Select(c => ClassName(dataset, c)))} are not training classes here (training classes: {string.Join(", ", training)})")
                : split.OldClasses.Distinct().Order().ToList();
        }

        int count = Math.Clamp((int)Math.Round(split.OldClassFraction * training.Count), 1, training.Count);
        return training.Take(count).ToList();
    }

    private static void RefuseShared(DatasetBundle dataset, IEnumerable<int> trainingClasses, IEnumerable<int> evaluationClasses)
    {
        var shared = trainingClasses.Intersect(evaluationClasses).Order().ToList();
        if (shared.Count > 0)
        {
            throw new CompatLabUserException(
                $"dataset '{dataset.Name}': class(es) {string.Join(", ", shared.Select(c => ClassName(dataset, c)))} appear both in training and in the query/gallery sets; the open-set protocol evaluates on classes training never sees, so give those classes' images the query or gallery role only (or leave them out of training)");
        }
    }

    private static List<int> DistinctLabels(Tensor labels)
    {
        // A copy, never an alias: disposing it must not free the set's own labels (int64 by the contract).
        using var copy = labels.clone();
        return copy.data<long>().ToArray().Select(c => (int)c).Distinct().Order().ToList();
    }

    private static string ClassName(DatasetBundle dataset, int c) =>
        c >= 0 && c < dataset.ClassNames.Count && dataset.ClassNames[c] != c.ToString(CultureInfo.InvariantCulture)
            ? $"'{dataset.ClassNames[c]}' (id {c})"
            : c.ToString(CultureInfo.InvariantCulture);
}
