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

    public static IntegratorTelemetry Read(string runFolder)
    {
        string path = Path.Combine(runFolder, "metrics.jsonl");
        if (!File.Exists(path))
        {
            return None;
        }

        var pairs = new List<double>();
        var rows = new List<double>();
        foreach (string line in File.ReadLines(path))
        {
            // Most lines are other metrics; parse only the two wanted.
            if (!line.Contains("new.integrator.conflict_", StringComparison.Ordinal))
            {
                continue;
            }

            var point = MetricLines.Parse(line);
            if (double.IsFinite(point.Value))
            {
                (point.Key == PairKey ? pairs : point.Key == RowKey ? rows : null)?.Add(point.Value);
            }
        }

        return new IntegratorTelemetry(pairs.Count == 0 ? double.NaN : pairs.Average(), rows.Count == 0 ? double.NaN : rows.Average());
    }
}
