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

    /// <summary>`--gpus 0,1,...`: the GPUs local workers take in turn for cuda cells; null: every visible GPU.</summary>
    public IReadOnlyList<int>? Gpus { get; private set; }

    /// <summary>`--gres VALUE`: what each Slurm task of a cuda cell asks for (default gpu:1; "none" asks for nothing).</summary>
    public string? Gres { get; private set; }

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

            if (!parsed.ReadRunOption(args, ref i) && !parsed.Prune.Read(args, ref i))
            {
                parsed.ReadOther(args, ref i);
            }
        }

        return parsed;
    }

    /// <summary>A value option's value: the next argument, which must exist.</summary>
    internal static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count)
        {
            throw new CompatLabUserException($"{option} needs a value; see 'compatlab --help'");
        }

        return args[++i];
    }

    /// <summary>The options of run, matrix and the commands that share them; false when args[i] is none of them.</summary>
    private bool ReadRunOption(IReadOnlyList<string> args, ref int i)
    {
        string arg = args[i];
        switch (arg)
        {
            case "--set":
                Sets.Add(Value(args, ref i, arg));
                return true;
            case "--plugins":
                PluginDirectories.Add(Value(args, ref i, arg));
                return true;
            case "--device":
                Device = Value(args, ref i, arg);
                Sets.Add($"device={Device}");
                return true;
            case "--force":
                Force = true;
                return true;
            case "--cell":
                Cell = Value(args, ref i, arg);
                return true;
            case "--workers":
                string workers = Value(args, ref i, arg);
                Workers = int.TryParse(workers, out int count) && count > 0
                    ? count
                    : throw new CompatLabUserException($"--workers: expected a positive whole number, got '{workers}'");
                return true;
            case "--slurm":
                Slurm = true;
                return true;
            case "--sbatch-arg":
                SbatchArguments.Add(Value(args, ref i, arg));
                return true;
            case "--gpus":
                Gpus = Engine.Matrix.WorkerGpus.ParseList(Value(args, ref i, arg));
                return true;
            case "--gres":
                Gres = Value(args, ref i, arg);
                return true;
            case "--version":
                Words.Add("version");
                return true;
            case "-h" or "--help":
                Help = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>--set=KEY=VALUE, a bench command's own options, or a command word; any other option is refused.</summary>
    private void ReadOther(IReadOnlyList<string> args, ref int i)
    {
        string arg = args[i];
        if (arg.StartsWith("--set=", StringComparison.Ordinal))
        {
            Sets.Add(arg["--set=".Length..]);
        }
        else if (Words.FirstOrDefault() == "bench" && arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
        {
            BenchOptions[arg[2..]] = Value(args, ref i, arg);
        }
        else if (arg.StartsWith('-') && arg.Length > 1)
        {
            throw new CompatLabUserException($"unknown option '{arg}'; see 'compatlab --help'");
        }
        else
        {
            Words.Add(arg);
        }
    }
}
