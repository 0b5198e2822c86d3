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

    /// <summary>Reads args[i] when it is a prune option (and its value); false when it is not one.</summary>
    public bool Read(IReadOnlyList<string> args, ref int i)
    {
        string arg = args[i];
        switch (arg)
        {
            case "--capacity":
                Capacities = CliArguments.Value(args, ref i, arg);
                return true;
            case "--criterion":
                Criterion = CliArguments.Value(args, ref i, arg);
                return true;
            case "--scope":
                Scope = CliArguments.Value(args, ref i, arg);
                return true;
            case "--recalibrate-batches":
                RecalibrateBatches = CliArguments.Value(args, ref i, arg);
                return true;
            case "--no-recalibrate":
                NoRecalibrate = true;
                return true;
            case "--out":
                Out = CliArguments.Value(args, ref i, arg);
                return true;
            default:
                return false;
        }
    }

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
