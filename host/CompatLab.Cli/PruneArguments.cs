namespace CompatLab.Cli;

/// <summary>The options of `compatlab prune`, as written on the command line (null when not given).</summary>
public sealed class PruneArguments
{
    public string? Capacities { get; set; }

    public string? Criterion { get; set; }

    public string? Scope { get; set; }

    public string? RecalibrateBatches { get; set; }

    public bool NoRecalibrate { get; set; }

    public string? Out { get; set; }

    /// <summary>The prune options that were given, for refusing them on other commands.</summary>
    public IEnumerable<string> Given()
    {
        if (Capacities is not null)
        {
            yield return "--capacity";
        }

        if (Criterion is not null)
        {
            yield return "--criterion";
        }

        if (Scope is not null)
        {
            yield return "--scope";
        }

        if (RecalibrateBatches is not null)
        {
            yield return "--recalibrate-batches";
        }

        if (NoRecalibrate)
        {
            yield return "--no-recalibrate";
        }

        if (Out is not null)
        {
            yield return "--out";
        }
    }
}
