using System.Globalization;
using System.Text;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Cli.Data;

/// <summary>
/// Writes a dataset's images as PNG files in the image-folder layout (OUT/images/NN-class-name/split-NNNNN.png; the
/// two-digit prefix makes the sorted folder names give the dataset's own class ids) and OUT/list.csv with columns
/// path,label,role (paths relative to the list's folder, integer labels, roles from an <see cref="OpenSetSplit"/>).
/// The folder holds every exported image; the list holds those the open-set protocol uses.
/// </summary>
public sealed class ImageFolderExporter(string output, int limitPerClass)
{
    public const string ImagesFolder = "images";
    public const string ListFile = "list.csv";

    public ImageExportSummary Export(DatasetBundle bundle, OpenSetSplit split)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(split);
        if (bundle.TrainSet is not LabelledImages || bundle.TestSet is not LabelledImages)
        {
            throw new CompatLabUserException($"data export-images: dataset '{bundle.Name}' loads its images on demand (it is made of image files already); only datasets held in memory (idx, fashion-mnist, synthetic) are exported");
        }

        if (bundle.Channels != 1)
        {
            throw new CompatLabUserException($"data export-images: {bundle.Name} has {bundle.Channels} channels; only grey images are exported so far");
        }

        PrepareOutput();
        string[] folders = bundle.ClassNames.Select(FolderName).ToArray();
        foreach (string folder in folders)
        {
            Directory.CreateDirectory(Path.Combine(output, ImagesFolder, folder));
        }

        IReadOnlySet<int> heldOut = split.HeldOutClasses(bundle.ClassCount);
        var list = new StringBuilder("path,label,role\n");
        var counts = new Dictionary<string, int> { ["train"] = 0, ["query"] = 0, ["gallery"] = 0 };
        int images = WriteSplit(bundle.Train, "train", folders, heldOut, list, counts)
            + WriteSplit(bundle.Test, "test", folders, heldOut, list, counts);
        File.WriteAllText(Path.Combine(output, ListFile), list.ToString());
        return new ImageExportSummary(
            images, counts.Values.Sum(), counts["train"], counts["query"], counts["gallery"], heldOut.Order().ToArray());
    }

    /// <summary>A folder name that sorts by class id and is safe on every file system: "07-sneaker".</summary>
    public static string FolderName(string className, int classId)
    {
        var safe = new StringBuilder();
        foreach (char c in className.ToLowerInvariant())
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return string.Create(CultureInfo.InvariantCulture, $"{classId:D2}-{safe.ToString().Trim('-')}");
    }

    private void PrepareOutput()
    {
        if (File.Exists(output) || (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any()))
        {
            throw new CompatLabUserException($"data export-images: --out {output} already exists and is not an empty folder; choose a new one so no earlier export is mixed in");
        }

        Directory.CreateDirectory(output);
    }

    private int WriteSplit(LabelledImages images, string splitName, string[] folders, IReadOnlySet<int> heldOut, StringBuilder list, Dictionary<string, int> counts)
    {
        int height = (int)images.Images.shape[2];
        int width = (int)images.Images.shape[3];
        long[] labels = images.Labels.data<long>().ToArray();
        var perClass = new int[folders.Length];
        int written = 0;
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        for (int i = 0; i < labels.Length; i++)
        {
            int label = (int)labels[i];
            if (perClass[label]++ >= limitPerClass)
            {
                continue;
            }

            string relative = string.Create(CultureInfo.InvariantCulture, $"{ImagesFolder}/{folders[label]}/{splitName}-{i:D5}.png");
            WritePng(Path.Combine(output, relative), info, GreyBytes(images.Images, i));
            written++;
            if (OpenSetSplit.Role(heldOut, label, splitName == "test") is { } role)
            {
                list.Append(CultureInfo.InvariantCulture, $"{relative},{label},{role}\n");
                counts[role]++;
            }
        }

        return written;
    }

    /// <summary>The pixels of image i as bytes: the plugin gave pixel / 255 in float32, which rounds back exactly.</summary>
    private static byte[] GreyBytes(Tensor images, int index)
    {
        using var scope = NewDisposeScope();
        return images[index].mul(255).round_().clamp_(0, 255).to(ScalarType.Byte).contiguous().data<byte>().ToArray();
    }

    private static void WritePng(string path, SKImageInfo info, byte[] pixels)
    {
        using SKImage image = SKImage.FromPixelCopy(info, pixels, info.RowBytes);
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }
}
