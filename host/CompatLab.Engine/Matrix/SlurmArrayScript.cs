using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CompatLab.Abstractions;
using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// The batch script of one Slurm job array (task i runs cell i) and how a matrix's cells are split into arrays: with
/// a generic resource to ask for, cells on a GPU (device cuda or cuda:N) go to an array whose tasks each ask for it
/// (<c>#SBATCH --gres=gpu:1</c> by default) and the other cells to one that asks for none, since every task of one
/// array gets the same resources.
/// </summary>
public static partial class SlurmArrayScript
{
    public const string DefaultGres = "gpu:1";

    /// <summary>The --gres option's value as the arrays use it: null (none given) is gpu:1, "none" asks for nothing.</summary>
    /// <exception cref="CompatLabUserException">A value that is not one word of Slurm's gres syntax.</exception>
    public static string? GresFor(string? option)
    {
        if (option is null)
        {
            return DefaultGres;
        }

        if (option == "none")
        {
            return null;
        }

        return GresPattern().IsMatch(option)
            ? option
            : throw new CompatLabUserException($"--gres {option}: expected a Slurm generic resource such as gpu:1 or gpu:a100:2 (or none), without spaces");
    }

    public static bool NeedsGpu(ResolvedExperiment cell) => cell.Spec.Device.StartsWith("cuda", StringComparison.Ordinal);

    /// <summary>The cells' indices grouped into arrays: cells that ask for <paramref name="gres"/> apart from the others.</summary>
    public static IReadOnlyList<(IReadOnlyList<int> Cells, string? Gres)> Arrays(IReadOnlyList<ResolvedExperiment> cells, string? gres)
    {
        var all = Enumerable.Range(0, cells.Count).ToList();
        if (gres is null)
        {
            return [(all, null)];
        }

        var onGpu = all.Where(i => NeedsGpu(cells[i])).ToList();
        var rest = all.Where(i => !NeedsGpu(cells[i])).ToList();
        var arrays = new List<(IReadOnlyList<int>, string?)>();
        if (rest.Count > 0)
        {
            arrays.Add((rest, null));
        }

        if (onGpu.Count > 0)
        {
            arrays.Add((onGpu, gres));
        }

        return arrays;
    }

    /// <summary>The script text: task i of the array execs the command of <paramref name="cells"/>[i].</summary>
    public static string Text(IReadOnlyList<ResolvedExperiment> cells, Func<ResolvedExperiment, ProcessStartInfo> command, string logs, string name, string? gres, string workingDirectory)
    {
        var text = new StringBuilder();
        text.AppendLine("#!/bin/bash");
        text.AppendLine($"#SBATCH --job-name=compatlab-{name}");
        text.AppendLine($"#SBATCH --output={logs}/slurm-%A_%a.log");
        if (gres is not null)
        {
            text.AppendLine($"#SBATCH --gres={gres}");
        }

        text.AppendLine($"cd {Quote(workingDirectory)}");
        text.AppendLine("case \"$SLURM_ARRAY_TASK_ID\" in");
        for (int i = 0; i < cells.Count; i++)
        {
            var info = command(cells[i]);
            text.AppendLine($"  {i}) exec {Quote(info.FileName)} {string.Join(' ', info.ArgumentList.Select(Quote))} ;;");
        }

        text.AppendLine("  *) echo \"no cell for task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;");
        text.AppendLine("esac");
        return text.ToString();
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_.:/,=-]+$")]
    private static partial Regex GresPattern();
}
