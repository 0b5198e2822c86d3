using System.Security.Cryptography;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Data;
using static TorchSharp.torch;

namespace CompatLab.Engine.Reproducibility;

/// <summary>
/// A run's data sets as tracker inputs: the training and test images the dataset plugin produced, each named after
/// the bundle with its role, a digest of its content (the tensors' bytes, so two loads of the same data agree and
/// any change of the data shows), and its source (the resolved dataset section: plugin and options).
/// </summary>
public static class DatasetDigest
{
    public const string SourceType = "compatlab";
    private const int RowsPerChunk = 2048;

    public static IReadOnlyList<DatasetInput> Inputs(DatasetBundle dataset, string source) =>
    [
        new DatasetInput($"{dataset.Name}.train", Of(dataset.TrainSet), SourceType, source, "train"),
        new DatasetInput($"{dataset.Name}.test", Of(dataset.TestSet), SourceType, source, "test"),
    ];

    /// <summary>
    /// The set's own <see cref="ISampleSet.ContentDigest"/> when it gives one (a set read from files knows its files
    /// without decoding them); otherwise the first 16 hex digits of SHA-256 over the samples then the labels, read in
    /// chunks so no second copy of the data is made.
    /// </summary>
    public static string Of(ISampleSet set)
    {
        if (set.ContentDigest is { } digest)
        {
            return digest;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, set.Count, (start, count) => set.LoadRange(start, count, SamplePass.Evaluation));
        Append(hash, set.Count, (start, count) => set.Labels.narrow(0, start, count));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void Append(IncrementalHash hash, long rows, Func<long, long, Tensor> chunkAt)
    {
        for (long start = 0; start < rows; start += RowsPerChunk)
        {
            using var scope = NewDisposeScope();
            var chunk = chunkAt(start, Math.Min(RowsPerChunk, rows - start)).cpu();
            var values = chunk.dtype == ScalarType.Int64 ? chunk : chunk.to_type(ScalarType.Float32);

            // The tensor's own bytes in one block: the element-wise accessor copied a whole dataset value by value.
            hash.AppendData(values.contiguous().bytes);
        }
    }
}
