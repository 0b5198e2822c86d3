using CompatLab.Engine.Tracking;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// The integrator's conflict telemetry of one PrunNet run, averaged over every point its training logged
/// (new.integrator.conflict_pair_fraction and conflict_row_fraction in metrics.jsonl); NaN when none was logged.
/// </summary>
public readonly record struct IntegratorTelemetry(double ConflictPairFraction, double ConflictRowFraction)
{
    public const string PairKey = "new.integrator.conflict_pair_fraction";
    public const string RowKey = "new.integrator.conflict_row_fraction";

    public static IntegratorTelemetry None => new(double.NaN, double.NaN);

    /// <param name="warn">Told about a torn or garbled line, which is skipped: one bad line must not sink a matrix report.</param>
    public static IntegratorTelemetry Read(string runFolder, Action<string>? warn = null)
    {
        string path = Path.Combine(runFolder, "metrics.jsonl");
        if (!File.Exists(path))
        {
            return None;
        }

        var pairs = new List<double>();
        var rows = new List<double>();
        foreach (var point in MetricJournal.Read(path, warn ?? (_ => { })))
        {
            if (double.IsFinite(point.Value))
            {
                (point.Key == PairKey ? pairs : point.Key == RowKey ? rows : null)?.Add(point.Value);
            }
        }

        return new IntegratorTelemetry(pairs.Count == 0 ? double.NaN : pairs.Average(), rows.Count == 0 ? double.NaN : rows.Average());
    }
}
