using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Engine.Configuration;
using static TorchSharp.torch;

namespace CompatLab.Engine.Data;

/// <summary>
/// The data splits protocols are made of (protocols.md, "Splits"): a subset of classes (extended-class,
/// extended-backbone), a seeded fraction of every class's images (extended-data), everything (every new model),
/// and the stages of a sequence: model t gets the first fractions[t] of the classes, or a seeded fractions[t] of
/// every class's images, nested so every model sees all the data the one before it saw. Which split a protocol
/// uses is the protocol's business; this class names none.
/// </summary>
public static class ProtocolSplit
{
    public static readonly IReadOnlyList<string> SequenceKinds = new[] { "class", "data" };

    /// <summary>The classes in data.split.oldClasses, or the first oldClassFraction of them, for a dataset of <paramref name="classCount"/> classes.</summary>
    public static IReadOnlyList<int> OldClasses(SplitSpec split, int classCount)
    {
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

    /// <summary>Every training image of the <see cref="OldClasses"/>.</summary>
    public static StageData ClassStage(DatasetBundle dataset, SplitSpec split)
    {
        var classes = OldClasses(split, dataset.ClassCount);
        using var scope = NewDisposeScope();
        var indices = isin(dataset.TrainSet.Labels, tensor(classes.Select(c => (long)c).ToArray())).nonzero().squeeze(1);
        return new StageData(dataset.TrainSet.Subset(indices), classes, dataset.ClassCount);
    }

    /// <summary>A seeded <paramref name="fraction"/> of every class's training images.</summary>
    public static StageData DataStage(DatasetBundle dataset, double fraction, int seed)
    {
        using var scope = NewDisposeScope();
        var indices = SampleEveryClass(dataset.TrainSet.Labels, dataset.ClassCount, fraction, seed);
        return new StageData(dataset.TrainSet.Subset(indices), Enumerable.Range(0, dataset.ClassCount).ToList(), dataset.ClassCount);
    }

    public static StageData NewStage(DatasetBundle dataset)
    {
        using var scope = NewDisposeScope();
        var all = arange(dataset.TrainSet.Count, dtype: ScalarType.Int64);
        return new StageData(dataset.TrainSet.Subset(all), Enumerable.Range(0, dataset.ClassCount).ToList(), dataset.ClassCount);
    }

    /// <summary>Models in a sequence split (1 when the split has no sequence section).</summary>
    public static int SequenceLength(SplitSpec split) => split.Sequence?.Fractions.Count ?? 1;

    /// <summary>The training data of model <paramref name="index"/> (0-based) of a sequence split.</summary>
    public static StageData SequenceStage(DatasetBundle dataset, SplitSpec split, int index, int seed)
    {
        var sequence = split.Sequence ?? throw new InvalidOperationException("not a sequence split");
        using var scope = NewDisposeScope();
        if (sequence.By == "data")
        {
            var all = Enumerable.Range(0, dataset.ClassCount).ToList();
            var indices = SampleEveryClass(dataset.TrainSet.Labels, dataset.ClassCount, sequence.Fractions[index], seed);
            return new StageData(dataset.TrainSet.Subset(indices), all, dataset.ClassCount);
        }

        var classes = SequenceClasses(split, index, dataset.ClassCount);
        var members = isin(dataset.TrainSet.Labels, tensor(classes.Select(c => (long)c).ToArray())).nonzero().squeeze(1);
        return new StageData(dataset.TrainSet.Subset(members), classes, dataset.ClassCount);
    }

    private static List<int> SequenceClasses(SplitSpec split, int index, int classCount)
    {
        var sequence = split.Sequence!;
        if (sequence.By == "data")
        {
            return Enumerable.Range(0, classCount).ToList();
        }

        var counts = sequence.Fractions.Select(f => Math.Clamp((int)Math.Round(f * classCount), 1, classCount)).ToList();
        if (counts.Zip(counts.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new CompatLabUserException(
                $"data.split.sequence.fractions: with {classCount} classes the fractions give class counts [{string.Join(", ", counts)}]; every model must learn more classes than the one before, so spread the fractions further apart");
        }

        return Enumerable.Range(0, counts[index]).ToList();
    }

    // Each class's members are permuted by the same seeded generator whatever the fraction, and the first share is
    // kept, so a larger fraction's sample contains every smaller one's (sequence models see nested data).
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
