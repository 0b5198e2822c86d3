using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reproducibility;

/// <summary>
/// A matrix in worker processes: one parent run in MLflow with a child run per cell, and the check CI runs on
/// docs/quickstart.md ('compatlab results check') against the table the matrix printed.
/// </summary>
public class MatrixRecordsTests
{
    private const string Axes = """, "matrix": { "axes": { "new.loss": [ { "type": "bct" }, { "type": "l2" } ] } }""";

    [Fact]
    public void CellsAreChildRunsOfTheMatrixRunAndTheDocumentCheckFollowsThePrintedTable()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("m.json", TinyExperiment.Json(extra: Axes));

        var run = CliProcess.Run(scratch.Root, "run", file, "--workers", "2");
        Assert.True(run.ExitCode == 0, run.Error);

        var runs = Directory.GetFiles(scratch.PathOf("mlruns"), "mlflow.runName", SearchOption.AllDirectories)
            .ToDictionary(f => Directory.GetParent(Path.GetDirectoryName(f)!)!.FullName, File.ReadAllText);
        string parent = Assert.Single(runs, r => r.Value.StartsWith("matrix-", StringComparison.Ordinal)).Key;
        var children = runs.Keys.Where(r => r != parent).ToList();
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.Equal(Path.GetFileName(parent), File.ReadAllText(Path.Combine(c, "tags", "mlflow.parentRunId"))));
        Assert.True(File.Exists(Path.Combine(parent, "artifacts", "summary.md")));
        Assert.Contains("status: 3", File.ReadAllText(Path.Combine(parent, "meta.yaml")));

        string summary = scratch.PathOf("runs/tiny/summary.md");
        string table = run.Output[run.Output.IndexOf("| run |", StringComparison.Ordinal)..];
        string current = scratch.File("doc.md", "# Results\n\nCommand: `compatlab run m.json`\n\n" + table + "\nReading it: ...\n");
        var check = CliProcess.Run(scratch.Root, "results", "check", current, summary);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);

        string[] rows = table.Split('\n');
        string edited = rows[2][..rows[2].LastIndexOf(" | ", rows[2].Length - 3, StringComparison.Ordinal)] + " | 9.9999 |";
        string stale = scratch.File("stale.md", table.Replace(rows[2], edited, StringComparison.Ordinal));
        var failed = CliProcess.Run(scratch.Root, "results", "check", stale, summary);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("row 1: document has", failed.Output);
    }
}
