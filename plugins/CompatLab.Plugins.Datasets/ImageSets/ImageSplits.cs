using CompatLab.Abstractions;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.Transforms;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>How a collection's rows are divided into train and test (or train, query and gallery) sets.</summary>
internal static class ImageSplits
{
    /// <summary>
    /// Per class, a seeded shuffle holds out round(n x fraction) images (half to even, at most n - 1) as test; both
    /// sets keep the collection's order. The draw for class c depends only on (seed, c), so adding images of one class
    /// leaves the split of the others as it was.
    /// </summary>
    public static (int[] Train, int[] Test) ByClass(IReadOnlyList<ImageSample> samples, IReadOnlyList<int> rows, double testFraction, int seed)
    {
        var test = new HashSet<int>();
        foreach (var group in rows.GroupBy(r => samples[r].Label))
        {
            int[] members = group.ToArray();
            var random = new SampleRandom(seed, -1, group.Key);
            for (int i = members.Length - 1; i > 0; i--)
            {
                int j = random.Integer(0, i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }

            int held = Math.Min(members.Length - 1, (int)Math.Round(members.Length * testFraction, MidpointRounding.ToEven));
            test.UnionWith(members.Take(held));
        }

        return (rows.Where(r => !test.Contains(r)).ToArray(), rows.Where(test.Contains).ToArray());
    }

    /// <summary>
    /// By the list's role column: train, query and gallery rows in list order; rows without a role are left out.
    /// Needs training rows, and queries exactly when there is a gallery, each query's class present in the gallery.
    /// </summary>
    public static (int[] Train, int[] Query, int[] Gallery) ByRole(IReadOnlyList<ImageSample> samples, IReadOnlyList<int> rows, IReadOnlyList<string> classNames, string listPath)
    {
        int[] Of(string role) => rows.Where(r => samples[r].Role == role).ToArray();
        int[] train = Of("train");
        int[] query = Of("query");
        int[] gallery = Of("gallery");
        if (train.Length == 0)
        {
            throw new CompatLabUserException($"{listPath}: no rows with role 'train' (after skipping); a list with roles needs training images.");
        }

        if (query.Length == 0 || gallery.Length == 0)
        {
            throw new CompatLabUserException(
                $"{listPath}: {query.Length} query and {gallery.Length} gallery rows; a list with roles needs both (or no role column, for a split by testFraction).");
        }

        var galleryClasses = gallery.Select(r => samples[r].Label).ToHashSet();
        if (query.FirstOrDefault(r => !galleryClasses.Contains(samples[r].Label), -1) is int lonely and >= 0)
        {
            throw new CompatLabUserException(
                $"{listPath}:{samples[lonely].ListLine}: the query's class '{classNames[samples[lonely].Label]}' has no gallery image; every query class needs at least one.");
        }

        return (train, query, gallery);
    }
}
