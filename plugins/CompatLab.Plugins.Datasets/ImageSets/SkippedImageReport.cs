namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// Tells the user which images skipUnreadable left out: a count and the first few on stderr, and every one in the
/// skippedList file when it is set (path, tab, reason per line). The run folder's skipped-images.csv is the host's
/// (from DatasetBundle.Skipped): a dataset plugin has no run folder.
/// </summary>
internal static class SkippedImageReport
{
    private const int Shown = 5;

    public static void Write(string plugin, IReadOnlyList<SkippedImage> skipped, string skippedList)
    {
        if (skipped.Count == 0)
        {
            return;
        }

        Console.Error.WriteLine($"{plugin}: skipped {skipped.Count} unreadable image(s) (skipUnreadable){(skippedList.Length > 0 ? $", listed in {skippedList}" : string.Empty)}:");
        foreach (var image in skipped.Take(Shown))
        {
            Console.Error.WriteLine($"  {image.Reason}");
        }

        if (skipped.Count > Shown)
        {
            Console.Error.WriteLine($"  ... and {skipped.Count - Shown} more");
        }

        if (skippedList.Length > 0)
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(skippedList));
            Directory.CreateDirectory(folder!);
            File.WriteAllLines(skippedList, skipped.Select(s => $"{s.Path}\t{s.Reason.ReplaceLineEndings(" ")}"));
        }
    }
}
