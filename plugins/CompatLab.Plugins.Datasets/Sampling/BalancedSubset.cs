using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Sampling;

/// <summary>
/// Chooses a random subset of a labelled set with the classes as equal in size as their counts allow,
/// returned as int64 indices in ascending order so the subset keeps the original order.
/// </summary>
internal static class BalancedSubset
{
    public static Tensor Indices(Tensor labels, int classCount, long size, Generator generator)
    {
        using var scope = NewDisposeScope();
        long count = labels.shape[0];
        long[] classSizes = labels.bincount(null, classCount).data<long>().ToArray();
        long[] quotas = Quotas(classSizes, size);

        // A random permutation, then a stable sort by class: inside each class the order stays random, so the
        // first `quota` members of each class are a uniform random choice from it.
        var permutation = randperm(count, generator: generator);
        var (sortedLabels, order) = labels.index_select(0, permutation).sort(stable: true);
        var classStarts = tensor(ExclusivePrefixSums(classSizes));
        var rankInClass = arange(count, dtype: ScalarType.Int64) - classStarts.index_select(0, sortedLabels);
        var keep = rankInClass.lt(tensor(quotas).index_select(0, sortedLabels));
        var chosen = permutation.index_select(0, order.masked_select(keep));
        return chosen.sort().Values.MoveToOuterDisposeScope();
    }

    /// <summary>Water-filling: every class gets an equal share, classes too small for it give their rest to the others.</summary>
    internal static long[] Quotas(long[] classSizes, long size)
    {
        var quotas = new long[classSizes.Length];
        long remaining = Math.Min(size, classSizes.Sum());
        while (remaining > 0)
        {
            int[] open = Enumerable.Range(0, classSizes.Length).Where(c => quotas[c] < classSizes[c]).ToArray();
            long share = remaining / open.Length;
            if (share == 0)
            {
                // Fewer samples left than open classes: one more each for the lowest class ids.
                foreach (int c in open.Take((int)remaining))
                {
                    quotas[c]++;
                }

                break;
            }

            foreach (int c in open)
            {
                long added = Math.Min(share, classSizes[c] - quotas[c]);
                quotas[c] += added;
                remaining -= added;
            }
        }

        return quotas;
    }

    private static long[] ExclusivePrefixSums(long[] values)
    {
        var sums = new long[values.Length];
        for (int i = 1; i < values.Length; i++)
        {
            sums[i] = sums[i - 1] + values[i - 1];
        }

        return sums;
    }
}
