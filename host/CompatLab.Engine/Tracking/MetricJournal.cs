using System.Text;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Engine.Tracking;

/// <summary>
/// A file of metric lines (metrics.jsonl, training-metrics.jsonl) as a journal: read tolerating a line torn by a
/// crash, repaired before appending, and cut back to a checkpoint's step on resume so that no point appears twice.
/// </summary>
public static class MetricJournal
{
    /// <summary>Every readable point; a torn or garbled line is reported through <paramref name="warn"/> and skipped.</summary>
    public static List<MetricPoint> Read(string path, Action<string> warn)
    {
        var points = new List<MetricPoint>();
        if (!File.Exists(path))
        {
            return points;
        }

        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            try
            {
                points.Add(MetricLines.Parse(lines[i]));
            }
            catch (FormatException)
            {
                string what = i == lines.Length - 1 ? "is torn (a write cut short, e.g. by a crash)" : "is not a metric line";
                warn($"{path}: line {i + 1} {what}; skipped");
            }
        }

        return points;
    }

    /// <summary>
    /// Removes a torn last line (one without its newline) so that the next append starts on a line of its own.
    /// </summary>
    /// <returns>Whether anything was removed.</returns>
    public static bool RepairTail(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        long length = stream.Length;
        if (length == 0 || LastByte(stream, length) == '\n')
        {
            return false;
        }

        long keep = length - 1;
        while (keep > 0 && LastByte(stream, keep) != '\n')
        {
            keep--;
        }

        stream.SetLength(keep);
        stream.Flush(flushToDisk: true);
        return true;
    }

    /// <summary>
    /// Cuts the journal back to a resumed stage's checkpoint: from the first point of that stage (its keys start with
    /// "<paramref name="stage"/>.") logged after <paramref name="step"/>, everything goes. Stages run one after another
    /// and a resumed stage has logged nothing yet, so all that follows was logged by the interrupted attempt after
    /// its last checkpoint and will be logged again.
    /// </summary>
    /// <returns>How many lines were removed.</returns>
    public static int CutBack(string path, string stage, long step)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        var lines = File.ReadAllLines(path);
        string prefix = stage + ".";
        int cut = Array.FindIndex(lines, line => After(line, prefix, step));
        if (cut < 0)
        {
            return 0;
        }

        var kept = new StringBuilder();
        foreach (string line in lines.Take(cut))
        {
            kept.Append(line).Append('\n');
        }

        AtomicFile.WriteAllText(path, kept.ToString());
        return lines.Length - cut;
    }

    private static bool After(string line, string prefix, long step)
    {
        if (!line.Contains(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var point = MetricLines.Parse(line);
            return point.Key.StartsWith(prefix, StringComparison.Ordinal) && point.Step > step;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static int LastByte(FileStream stream, long length)
    {
        stream.Position = length - 1;
        return stream.ReadByte();
    }
}
