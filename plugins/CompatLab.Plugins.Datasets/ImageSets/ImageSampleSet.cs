using System.Security.Cryptography;
using System.Text;
using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.Images;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// Images decoded when asked for: a list of rows of a shared <see cref="ImageCollection"/>. <see cref="Load"/> decodes
/// and transforms the requested images on the collection's workers; <see cref="Subset"/> shares the collection.
/// </summary>
public sealed class ImageSampleSet : ISampleSet
{
    private readonly ImageCollection collection;
    private readonly int[] rows;
    private readonly Lazy<string> digest;

    internal ImageSampleSet(ImageCollection collection, int[] rows)
    {
        this.collection = collection;
        this.rows = rows;
        collection.Use();
        using (var scope = NewDisposeScope())
        {
            Labels = tensor(rows.Select(r => (long)collection.Samples[r].Label).ToArray(), dtype: ScalarType.Int64).DetachFromDisposeScope();
        }

        digest = new Lazy<string>(() => Digest(collection.Digest, rows));
    }

    public long Count => rows.Length;

    public Tensor Labels { get; }

    public IReadOnlyList<long> SampleShape => [3, collection.ImageSize, collection.ImageSize];

    /// <summary>SHA-256 (hex) of the collection's digest and this set's rows in order.</summary>
    public string? ContentDigest => digest.Value;

    /// <summary>The set's images in order, with their files, labels, roles and list lines.</summary>
    public IReadOnlyList<ImageSample> Samples => rows.Select(r => collection.Samples[r]).ToArray();

    /// <summary>The dataset's images left out under skipUnreadable (the same list for every set of the dataset), for the host to record.</summary>
    public IReadOnlyList<SkippedImage> Skipped => collection.Skipped;

    public Tensor Load(ReadOnlySpan<long> indices, SamplePass pass)
    {
        var chosen = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] < 0 || indices[i] >= rows.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"sample {indices[i]} is outside [0, {rows.Length})");
            }

            chosen[i] = rows[indices[i]];
        }

        return collection.Load(chosen, pass);
    }

    public ISampleSet Subset(Tensor indices)
    {
        using var asLong = indices.to(ScalarType.Int64);
        long[] picked = asLong.data<long>().ToArray();
        return new ImageSampleSet(collection, picked.Select(i => rows[i]).ToArray());
    }

    public void Dispose()
    {
        Labels.Dispose();
        collection.Release();
    }

    private static string Digest(string collectionDigest, int[] rows)
    {
        var bytes = new byte[rows.Length * sizeof(int)];
        Buffer.BlockCopy(rows, 0, bytes, 0, bytes.Length);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(collectionDigest));
        hash.AppendData(bytes);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
