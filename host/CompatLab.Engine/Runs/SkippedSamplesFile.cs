using System.Globalization;
using CompatLab.Abstractions.Data;
using CompatLab.Engine.Tracking;
using CsvHelper;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Lists the samples a dataset left out as unreadable in the run folder's <c>skipped-images.csv</c> (path, reason),
/// written atomically, and says on the run's messages how many there were and where the list is. CsvHelper quotes
/// the reasons, which hold commas and quotes of their own.
/// </summary>
public static class SkippedSamplesFile
{
    public const string FileName = "skipped-images.csv";

    /// <summary>Writes the list when the dataset skipped anything; removes an earlier attempt's list when it skipped nothing.</summary>
    public static void Write(string runFolder, IReadOnlyList<SkippedSample> skipped, TextWriter messages)
    {
        string path = Path.Combine(runFolder, FileName);
        if (skipped.Count == 0)
        {
            File.Delete(path);
            return;
        }

        AtomicFile.Replace(path, temporary =>
        {
            using var writer = new StreamWriter(temporary);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteRecords(skipped.Select(s => new { path = s.Path, reason = s.Reason.ReplaceLineEndings(" ") }));
        });
        messages.WriteLine($"data: skipped {skipped.Count} unreadable sample(s) (skipUnreadable); the list is in {path}");
    }
}
