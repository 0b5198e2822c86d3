namespace CompatLab.Engine.Runs;

/// <summary>
/// Where a new-model stage keeps its things: the stage name (logs, metrics, checkpoint folder), the model file in
/// the run folder, and the suffix that keeps its derived seeds apart from other stages'.
/// </summary>
public sealed record NewStageNames(string Stage, string ModelFile, string SeedSuffix)
{
    /// <summary>The run's new model (for a sequence, its last model).</summary>
    public static NewStageNames Final { get; } = new("new", "new-model.bin", string.Empty);

    /// <summary>Model <paramref name="index"/> (0-based) of a sequence, before the last.</summary>
    public static NewStageNames Intermediate(int index) => new($"model-{index + 1}", $"model-{index + 1}.bin", $"-{index + 1}");
}
