using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CompatLab.Plugins.Tracking.MLflow.Spool;

/// <summary>
/// A run's records for a server, as JSON lines (spool.jsonl) appended and flushed before anything is sent, and
/// the marks of what was delivered (sent.log). A line only counts once it is complete, so a crash in the middle
/// of a write loses at most that line. Only one process at a time may hold a spool (the lock file).
/// </summary>
internal sealed class RunSpool : IDisposable
{
    public const string RecordsFile = "spool.jsonl";
    public const string MarksFile = "sent.log";
    private const string LockFile = "lock";
    private readonly FileStream lockHandle;
    private readonly List<SpoolRecord> all;
    private readonly HashSet<long> done;
    private readonly StreamWriter records;
    private readonly StreamWriter marks;
    private long nextSeq;

    // Records are mostly delivered in order: everything before this index is done, so a long run's spool is not
    // scanned from its start on every call.
    private int firstPending;
    private int pendingCount;

    private RunSpool(string folder, FileStream lockHandle)
    {
        Folder = folder;
        this.lockHandle = lockHandle;
        all = ReadRecords(Path.Combine(folder, RecordsFile));
        done = ReadMarks(Path.Combine(folder, MarksFile));
        nextSeq = all.Count == 0 ? 1 : all.Max(r => r.Seq) + 1;
        pendingCount = all.Count(r => !done.Contains(r.Seq));
        while (firstPending < all.Count && done.Contains(all[firstPending].Seq))
        {
            firstPending++;
        }
        records = AppendWriter(Path.Combine(folder, RecordsFile));
        marks = AppendWriter(Path.Combine(folder, MarksFile));
    }

    public string Folder { get; }

    public IReadOnlyList<SpoolRecord> All => all;

    public IEnumerable<SpoolRecord> Pending => all.Skip(firstPending).Where(r => !done.Contains(r.Seq));

    public int PendingCount => pendingCount;

    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, RecordsFile));

    /// <summary>Opens the spool, or returns null when another tracker (this process or another) holds it.</summary>
    public static RunSpool? TryOpen(string folder)
    {
        Directory.CreateDirectory(folder);
        FileStream handle;
        try
        {
            handle = new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }

        try
        {
            return new RunSpool(folder, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public SpoolRecord Append(SpoolRecord record)
    {
        record.Seq = nextSeq++;
        records.Write(JsonSerializer.Serialize(record, SpoolFormat.Json));
        records.Write('\n');
        records.Flush();
        all.Add(record);
        pendingCount++;
        return record;
    }

    public void MarkSent(IEnumerable<SpoolRecord> delivered) => Mark("sent", delivered);

    public void MarkRejected(IEnumerable<SpoolRecord> rejected) => Mark("rejected", rejected);

    /// <summary>Makes every record pending again: the server lost the run, so all of it goes again to a new one.</summary>
    public void Reset()
    {
        marks.Write("reset ;\n");
        marks.Flush();
        done.Clear();
        firstPending = 0;
        pendingCount = all.Count;
    }

    public void Dispose()
    {
        records.Dispose();
        marks.Dispose();
        lockHandle.Dispose();
    }

    private static List<SpoolRecord> ReadRecords(string path)
    {
        var found = new List<SpoolRecord>();
        foreach (string line in CompleteLines(path))
        {
            try
            {
                if (JsonSerializer.Deserialize<SpoolRecord>(line, SpoolFormat.Json) is { Seq: > 0 } record)
                {
                    found.Add(record);
                }
            }
            catch (JsonException)
            {
                // A damaged line cannot be replayed; the rest can.
            }
        }

        return found;
    }

    // "sent 4 5 6 ;", "rejected 7 ;", "reset ;": the ';' shows the line was written to its end.
    private static HashSet<long> ReadMarks(string path)
    {
        var marked = new HashSet<long>();
        foreach (string line in CompleteLines(path))
        {
            int end = line.IndexOf(';');
            if (end < 0)
            {
                continue;
            }

            string[] words = line[..end].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 1 && words[0] == "reset")
            {
                marked.Clear();
                continue;
            }

            foreach (string word in words.Skip(1))
            {
                if (long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
                {
                    marked.Add(seq);
                }
            }
        }

        return marked;
    }

    /// <summary>The file's lines that end in a newline; a torn last line (a crash mid-write) is cut off the file.</summary>
    private static List<string> CompleteLines(string path)
    {
        if (!File.Exists(path))
        {
            return new List<string>();
        }

        byte[] bytes = File.ReadAllBytes(path);
        int end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (end < bytes.Length)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
            stream.SetLength(end);
        }

        return Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static StreamWriter AppendWriter(string path) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));

    private void Mark(string word, IEnumerable<SpoolRecord> marked)
    {
        var seqs = marked.Select(r => r.Seq).ToList();
        if (seqs.Count == 0)
        {
            return;
        }

        marks.Write($"{word} {string.Join(' ', seqs.Select(s => s.ToString(CultureInfo.InvariantCulture)))} ;\n");
        marks.Flush();
        foreach (long seq in seqs)
        {
            if (done.Add(seq))
            {
                pendingCount--;
            }
        }

        while (firstPending < all.Count && done.Contains(all[firstPending].Seq))
        {
            firstPending++;
        }
    }
}
