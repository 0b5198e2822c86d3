namespace CompatLab.Engine.Runs;

/// <summary>
/// A sequence run's compatibility matrix: Map[t][k] is the mAP of model t+1's queries against model k+1's gallery
/// (k &lt;= t), with AC and AM (methods.md §5).
/// </summary>
public sealed record SequenceScores(
    string By,
    IReadOnlyList<double> Fractions,
    IReadOnlyList<IReadOnlyList<double>> Map,
    double AverageCompatibility,
    double AverageMultiModelAccuracy);
