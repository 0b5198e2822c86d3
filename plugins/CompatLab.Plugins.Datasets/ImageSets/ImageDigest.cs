using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CompatLab.Plugins.Datasets.Images;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// SHA-256 digests naming what a dataset holds. Files are identified by path relative to the dataset's folder, size
/// and modification time, not by their content: hashing a million JPEGs would take minutes at every load, while a
/// stat is cheap, and tools that change a file change its size or time (as make and rsync assume).
/// </summary>
internal static class ImageDigest
{
    /// <summary>The files in order: relative path, size and modification time (UTC ticks) of each.</summary>
    public static string Files(IReadOnlyList<ImageSample> samples, string baseFolder)
    {
        var text = new StringBuilder("compatlab-image-files/1\n");
        foreach (var sample in samples)
        {
            var info = new FileInfo(sample.Path);
            long size = info.Exists ? info.Length : -1;
            long time = info.Exists ? info.LastWriteTimeUtc.Ticks : 0;
            text.Append(Path.GetRelativePath(baseFolder, sample.Path)).Append('\t')
                .Append(size.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(time.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Hex(text.ToString());
    }

    /// <summary>The files' digest with the labels, class names and every setting that changes the samples.</summary>
    public static string Collection(string filesDigest, IReadOnlyList<ImageSample> samples, IReadOnlyList<string> classNames, string settings)
    {
        var text = new StringBuilder("compatlab-image-collection/1\n").Append(filesDigest).Append('\n');
        text.AppendJoin(',', samples.Select(s => s.Label.ToString(CultureInfo.InvariantCulture))).Append('\n');
        text.AppendJoin('\n', classNames).Append('\n').Append(settings);
        return Hex(text.ToString());
    }

    public static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
