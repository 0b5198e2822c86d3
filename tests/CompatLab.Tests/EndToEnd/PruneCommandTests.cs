using System.Text.Json.Nodes;
using CompatLab.Engine.Pruning;
using CompatLab.Tests.Pruning;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.EndToEnd;

/// <summary>A tiny finished run (synthetic data, a narrow cnn4), made once and pruned by the tests that share it.</summary>
public sealed class FinishedTinyRun : IDisposable
{
    public FinishedTinyRun()
    {
        string file = Scratch.File("e.json", TinyExperiment.Json(extra: ", \"tracking\": { \"trackers\": [] }"));
        var run = CliProcess.Run(Scratch.Root, "run", file);
        Assert.True(run.ExitCode == 0, run.Error);
        Folder = Path.GetDirectoryName(Directory.GetFiles(Scratch.PathOf("runs/tiny"), "state.json", SearchOption.AllDirectories).Single())!;
    }

    internal ScratchFolder Scratch { get; } = new();

    public string Folder { get; }

    /// <summary>A copy of the run folder (nothing pruned yet) to change or prune without touching the shared one.</summary>
    public string Copy(string name)
    {
        string copy = Scratch.PathOf(Path.Combine("copies", name, Path.GetFileName(Folder)));
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(Folder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    public void Dispose() => Scratch.Dispose();
}

/// <summary>`compatlab prune` as a process on a finished run: the files it writes, and its refusals.</summary>
public class PruneCommandTests : IClassFixture<FinishedTinyRun>
{
    private readonly FinishedTinyRun run;

    public PruneCommandTests(FinishedTinyRun run)
    {
        this.run = run;
    }

    [Fact]
    public void PrunesADenseRunToEveryCapacityAndWritesModelsTablesAndChart()
    {
        string folder = run.Copy("magnitude");

        var result = CliProcess.Run(run.Scratch.Root, "prune", folder, "--capacity", "1,0.5,0.2", "--criterion", "magnitude", "--recalibrate-batches", "3");

        Assert.True(result.ExitCode == 0, result.Error);
        string output = Path.Combine(folder, "pruned", "magnitude-layer");
        Assert.Contains("| 0.5 |", result.Output);
        Assert.Contains("prune: c=0.2 kept", result.Error);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(Path.Combine(output, "map-vs-capacity.png")).Take(4));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(output, "results.csv")).Length);
        Assert.Contains("sub-to-dense mAP", File.ReadAllText(Path.Combine(output, "results.md")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(folder, "pruned"), "*.partial-*"));

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!;
        var rows = report["grid"]!["capacities"]!.AsArray();
        Assert.Equal([1.0, 0.5, 0.2], rows.Select(r => (double)r!["capacity"]!));
        double denseSelf = (double)report["grid"]!["denseSelf"]!["map"]!;
        Assert.Equal(denseSelf, (double)rows[0]!["subSelf"]!["map"]!);
        Assert.Equal(denseSelf, (double)rows[0]!["subToDense"]!["map"]!);
        Assert.All(rows.Skip(1), r => Assert.Equal(3, (int)r!["recalibrationBatches"]!));

        // Every capacity's pruned model loads back into the model the run's configuration builds.
        using var scope = NewDisposeScope();
        foreach (var row in rows)
        {
            double capacity = (double)row!["capacity"]!;
            using var model = TinyRetrievalSetup.BuildModel(withScores: false, seed: 1);
            using var masks = PrunedModelFiles.Load(model, Path.Combine(output, $"capacity-{capacity.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
            Assert.Equal((long)row["keptWeights"]!, masks.Kept.Sum(m => (long)m.sum().item<float>()));
            Assert.All(MaskableLayers.In(model), l => Assert.Equal(0, (l.Weight * (1 - l.Mask!)).count_nonzero().item<long>()));
        }
    }

    [Fact]
    public void APrunNetModelWithScoresIsPrunedByItsLearnedScoresByDefault()
    {
        string folder = run.Copy("scores");
        using (var scope = NewDisposeScope())
        using (var scored = TinyRetrievalSetup.BuildModel(withScores: true, seed: 8))
        {
            // Stands in for a PrunNet run: same architecture as the run's configuration, with learned scores.
            scored.save(Path.Combine(folder, "new-model.bin"));
        }

        var result = CliProcess.Run(run.Scratch.Root, "prune", folder, "--capacity", "0.3", "--no-recalibrate");

        Assert.True(result.ExitCode == 0, result.Error);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "pruned", "learned-score-layer-norecal", "results.json")))!;
        Assert.Equal("learned-score", (string)report["criterion"]!);
        Assert.Equal(0, (int)report["grid"]!["capacities"]![0]!["recalibrationBatches"]!);
    }

    [Fact]
    public void OutWritesWhereAskedAndGlobalScopeKeepsTheNetworkShare()
    {
        string output = run.Scratch.PathOf("elsewhere/taylor");

        var result = CliProcess.Run(run.Scratch.Root, "prune", run.Folder, "--capacity", "0.25", "--criterion", "taylor", "--scope", "global", "--out", output, "--recalibrate-batches", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        var row = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!["grid"]!["capacities"]![0]!;
        Assert.Equal(KeepCounts.ForCapacity((long)row["maskedLayerWeights"]!, 0.25), (long)row["keptWeights"]!);
        Assert.True(File.Exists(Path.Combine(output, "capacity-0.25", PrunedModelFiles.MasksFile)));
    }

    [Theory]
    [InlineData("--capacity", "0", "--capacity: 0 is out of range")]
    [InlineData("--capacity", "0.2,1.5", "--capacity: 1.5 is out of range")]
    [InlineData("--capacity", "0.2,lots", "--capacity: 'lots' is not a number")]
    [InlineData("--criterion", "magnitud", "--criterion: unknown pruning plugin 'magnitud' (did you mean 'magnitude'")]
    [InlineData("--criterion", "learned-score", "--criterion learned-score: the new model of")]
    [InlineData("--scope", "everywhere", "--scope: unknown pruning scope 'everywhere'")]
    [InlineData("--recalibrate-batches", "some", "--recalibrate-batches: expected a whole number")]
    public void BadArgumentsAreRefusedNamingTheArgumentAndLeaveNothing(string option, string value, string expected)
    {
        string folder = run.Copy($"bad-{Math.Abs(HashCode.Combine(option, value))}");
        var arguments = new List<string> { "prune", folder, option, value };
        if (option != "--capacity")
        {
            arguments.AddRange(["--capacity", "0.2"]);
        }

        var result = CliProcess.Run(run.Scratch.Root, arguments.ToArray());

        AssertRefused(result, expected);
        Assert.False(Directory.Exists(Path.Combine(folder, "pruned")), "pruned output was left behind");
    }

    [Fact]
    public void AnOutThatIsAFileIsRefused()
    {
        string file = run.Scratch.File("taken.txt", "not a folder");

        var result = CliProcess.Run(run.Scratch.Root, "prune", run.Folder, "--capacity", "0.2", "--out", file);

        AssertRefused(result, $"--out: {file} is a file");
        Assert.Empty(Directory.GetDirectories(run.Scratch.Root, "*.partial-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AnUnfinishedRunIsRefused()
    {
        string folder = run.Copy("running");
        string state = Path.Combine(folder, "state.json");
        File.WriteAllText(state, File.ReadAllText(state).Replace("\"finished\"", "\"running\"", StringComparison.Ordinal));

        var result = CliProcess.Run(run.Scratch.Root, "prune", folder, "--capacity", "0.2");

        AssertRefused(result, "the run has not finished (state: running)");
    }

    [Fact]
    public void AFolderThatIsNotARunIsRefused()
    {
        var result = CliProcess.Run(run.Scratch.Root, "prune", run.Scratch.PathOf("runs/tiny"), "--capacity", "0.2");

        AssertRefused(result, "not a run folder (no state.json)");
    }

    private static void AssertRefused((int ExitCode, string Output, string Error) result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.DoesNotContain("Exception", result.Error);
    }
}
