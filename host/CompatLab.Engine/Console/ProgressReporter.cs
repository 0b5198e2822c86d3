using System.Diagnostics;
using System.Globalization;

namespace CompatLab.Engine.Console;

/// <summary>
/// A progress bar for long work on standard error: redrawn in place on a terminal, one line every tenth of the
/// work (or every 30 s) when the output is a file or a CI log. Shows the loss, throughput and time left.
/// </summary>
public sealed class ProgressReporter
{
    private readonly TextWriter writer;
    private readonly bool interactive;
    private readonly string label;
    private readonly long total;
    private readonly string unit;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long startedAt;
    private double lastPrintedFraction = -1;
    private TimeSpan lastPrintedTime = TimeSpan.Zero;

    public ProgressReporter(TextWriter writer, bool interactive, string label, long total, long startedAt, string unit = "img/s")
    {
        this.writer = writer;
        this.interactive = interactive;
        this.label = label;
        this.total = Math.Max(1, total);
        this.startedAt = startedAt;
        this.unit = unit;
    }

    public static bool IsInteractive => !System.Console.IsErrorRedirected;

    /// <param name="done">Units of work completed so far (steps).</param>
    /// <param name="rate">Throughput to show (images per second).</param>
    public void Update(long done, string metrics, double rate)
    {
        double fraction = (double)done / total;
        var elapsed = clock.Elapsed;
        bool due = interactive
            ? elapsed - lastPrintedTime >= TimeSpan.FromMilliseconds(250) || done == total
            : fraction - lastPrintedFraction >= 0.1 || elapsed - lastPrintedTime >= TimeSpan.FromSeconds(30) || done == total;
        if (!due)
        {
            return;
        }

        lastPrintedFraction = fraction;
        lastPrintedTime = elapsed;
        long sinceStart = Math.Max(1, done - startedAt);
        var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds / sinceStart * (total - done));
        string bar = interactive ? Bar(fraction) + " " : string.Empty;
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{label} {bar}{done}/{total} {metrics} {rate:F0} {unit} ETA {Format(remaining)}");
        if (interactive)
        {
            writer.Write("\r" + line.PadRight(Math.Min(160, line.Length + 4)));
            if (done == total)
            {
                writer.WriteLine();
            }
        }
        else
        {
            writer.WriteLine(line);
        }

        writer.Flush();
    }

    public void Restart(long startedAt)
    {
        this.startedAt = startedAt;
        clock.Restart();
    }

    private static string Bar(double fraction)
    {
        const int width = 24;
        int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    private static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
