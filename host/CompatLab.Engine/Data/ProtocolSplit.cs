using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Engine.Configuration;
using static TorchSharp.torch;

namespace CompatLab.Engine.Data;

/// <summary>
/// Splits a dataset's training set between the old and the new model (protocols.md, "Splits"): extended-class
/// gives the old model a subset of classes, extended-data a seeded fraction of every class. The new model always
/// trains on everything, and both are tested on the whole test set.
/// </summary>
public static class ProtocolSplit
{
    public static readonly IReadOnlyList<string> Types = new[] { "extended-class", "extended-data" };

    /// <summary>The classes the old model knows under <paramref name="split"/> for a dataset of <paramref name="classCount"/> classes.</summary>
    public static IReadOnlyList<int> OldClasses(SplitSpec split, int classCount)
    {
        if (split.Type == "extended-data")
        {
            return Enumerable.Range(0, classCount).ToList();
        }

        if (split.OldClasses.Count > 0)
        {
            var bad = split.OldClasses.Where(c => c < 0 || c >= classCount).ToList();
            if (bad.Count > 0)
            {
                throw new CompatLabUserException($"data.split.oldClasses: class ids must be in [0, {classCount - 1}] for this dataset, got {string.Join(", ", bad)}");
            }

            return split.OldClasses.Distinct().OrderBy(c => c).ToList();
        }

        int count = Math.Clamp((int)Math.Round(split.OldClassFraction * classCount), 1, classCount);
        return Enumerable.Range(0, count).ToList();
    }

    public static StageData OldStage(DatasetBundle dataset, SplitSpec split, int seed)
    {
        var classes = OldClasses(split, dataset.ClassCount);
        using var scope = NewDisposeScope();
        Tensor indices = split.Type == "extended-data"
            ? SampleEveryClass(dataset.Train.Labels, dataset.ClassCount, split.OldDataFraction, seed)
            : isin(dataset.Train.Labels, tensor(classes.Select(c => (long)c).ToArray())).nonzero().squeeze(1);
        return new StageData(dataset.Train.Select(indices), classes, dataset.ClassCount);
    }

    public static StageData NewStage(DatasetBundle dataset)
    {
        using var scope = NewDisposeScope();
        var all = arange(dataset.Train.Count, dtype: ScalarType.Int64);
        return new StageData(dataset.Train.Select(all), Enumerable.Range(0, dataset.ClassCount).ToList(), dataset.ClassCount);
    }

    private static Tensor SampleEveryClass(Tensor labels, int classCount, double fraction, int seed)
    {
        var generator = new Generator((ulong)seed);
        var chosen = new List<Tensor>();
        for (int c = 0; c < classCount; c++)
        {
            var members = labels.eq(c).nonzero().squeeze(1);
            long keep = Math.Max(1, (long)Math.Round(fraction * members.shape[0]));
            var order = randperm(members.shape[0], generator: generator);
            chosen.Add(members.index_select(0, order.narrow(0, 0, Math.Min(keep, members.shape[0]))));
        }

        return cat(chosen, 0).sort().Values;
    }
}
