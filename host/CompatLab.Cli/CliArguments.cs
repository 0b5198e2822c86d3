using CompatLab.Abstractions;

namespace CompatLab.Cli;

/// <summary>The parsed command line: the command words, one file, and the options every command shares.</summary>
public sealed class CliArguments
{
    public List<string> Words { get; } = new();

    public List<string> Sets { get; } = new();

    public List<string> PluginDirectories { get; } = new();

    public bool Force { get; private set; }

    /// <summary>Run only the matrix cell with this label (what workers and Slurm tasks are started with).</summary>
    public string? Cell { get; private set; }

    public int Workers { get; private set; } = 1;

    public bool Slurm { get; private set; }

    public List<string> SbatchArguments { get; } = new();

    public bool Help { get; private set; }

    /// <summary>`--device cpu|cuda|cuda:N`: the same as `--set device=...`, and the device `compatlab doctor` examines.</summary>
    public string? Device { get; private set; }

    /// <summary>`--name value` pairs of a hidden `compatlab bench` command or of `compatlab data`, read by that command.</summary>
    public Dictionary<string, string> BenchOptions { get; } = new(StringComparer.Ordinal);

    /// <summary>`compatlab prune` options, kept as given so the command can name the argument in its errors.</summary>
    public PruneArguments Prune { get; } = new();

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new CliArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (parsed.Words.FirstOrDefault() == "data" && arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2 && arg is not ("--help" or "--plugins"))
            {
                // `compatlab data` names its own options (its --out is not prune's).
                parsed.BenchOptions[arg[2..]] = Value(args, ref i, arg);
                continue;
            }

            switch (arg)
            {
                case "--set":
                    parsed.Sets.Add(Value(args, ref i, arg));
                    break;
                case "--plugins":
                    parsed.PluginDirectories.Add(Value(args, ref i, arg));
                    break;
                case "--device":
                    parsed.Device = Value(args, ref i, arg);
                    parsed.Sets.Add($"device={parsed.Device}");
                    break;
                case "--force":
                    parsed.Force = true;
                    break;
                case "--cell":
                    parsed.Cell = Value(args, ref i, arg);
                    break;
                case "--workers":
                    string workers = Value(args, ref i, arg);
                    parsed.Workers = int.TryParse(workers, out int count) && count > 0
                        ? count
                        : throw new CompatLabUserException($"--workers: expected a positive whole number, got '{workers}'");
                    break;
                case "--slurm":
                    parsed.Slurm = true;
                    break;
                case "--sbatch-arg":
                    parsed.SbatchArguments.Add(Value(args, ref i, arg));
                    break;
                case "--capacity":
                    parsed.Prune.Capacities = Value(args, ref i, arg);
                    break;
                case "--criterion":
                    parsed.Prune.Criterion = Value(args, ref i, arg);
                    break;
                case "--scope":
                    parsed.Prune.Scope = Value(args, ref i, arg);
                    break;
                case "--recalibrate-batches":
                    parsed.Prune.RecalibrateBatches = Value(args, ref i, arg);
                    break;
                case "--no-recalibrate":
                    parsed.Prune.NoRecalibrate = true;
                    break;
                case "--out":
                    parsed.Prune.Out = Value(args, ref i, arg);
                    break;
                case "--version":
                    parsed.Words.Add("version");
                    break;
                case "-h" or "--help":
                    parsed.Help = true;
                    break;
                default:
                    if (arg.StartsWith("--set=", StringComparison.Ordinal))
                    {
                        parsed.Sets.Add(arg["--set=".Length..]);
                    }
                    else if (parsed.Words.FirstOrDefault() == "bench" && arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
                    {
                        parsed.BenchOptions[arg[2..]] = Value(args, ref i, arg);
                    }
                    else if (arg.StartsWith('-') && arg.Length > 1)
                    {
                        throw new CompatLabUserException($"unknown option '{arg}'; see 'compatlab --help'");
                    }
                    else
                    {
                        parsed.Words.Add(arg);
                    }

                    break;
            }
        }

        return parsed;
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count)
        {
            throw new CompatLabUserException($"{option} needs a value; see 'compatlab --help'");
        }

        return args[++i];
    }
}
