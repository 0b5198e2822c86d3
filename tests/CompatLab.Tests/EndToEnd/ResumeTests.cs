using System.Diagnostics;
using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.EndToEnd;

/// <summary>kill -9 during training, the same command again: it resumes and ends with the uninterrupted metrics.</summary>
public class ResumeTests
{
    private static readonly string[] LongerTraining = { "--set", "new.training.epochs=8", "--set", "old.training.epochs=4" };

    private static JsonNode Results(string root) =>
        JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(root, "runs", "tiny"), "results.json", SearchOption.AllDirectories).Single()))!;

    [Fact]
    public void KilledRunResumesFromItsLastCheckpointAndMatchesAnUninterruptedRun()
    {
        using var reference = new ScratchFolder();
        string referenceFile = reference.File("e.json", TinyExperiment.Json());
        var uninterrupted = CliProcess.Run(reference.Root, new[] { "run", referenceFile }.Concat(LongerTraining).ToArray());
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);

        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());
        using (var process = Process.Start(CliProcess.StartInfo(scratch.Root, new[] { "run", file }.Concat(LongerTraining).ToArray()))!)
        {
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!HasNewStageCheckpoint(scratch.PathOf("runs/tiny")) && !process.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }

            Assert.False(process.HasExited, "the run ended before it could be killed; make the test run longer");
            process.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            process.WaitForExit();
        }

        Assert.False(File.Exists(Directory.GetFiles(scratch.PathOf("runs/tiny"), "state.json", SearchOption.AllDirectories).Select(Path.GetDirectoryName).Single() + "/results.json"));

        var resumed = CliProcess.Run(scratch.Root, new[] { "run", file }.Concat(LongerTraining).ToArray());

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("new: resuming from the checkpoint at step", resumed.Error);
        var expected = Results(reference.Root);
        var actual = Results(scratch.Root);
        foreach (string test in new[] { "oldSelf", "newSelf", "cross" })
        {
            Assert.Equal((double)expected[test]!["map"]!, (double)actual[test]!["map"]!, 6);
            Assert.Equal((double)expected[test]!["recallAt1"]!, (double)actual[test]!["recallAt1"]!, 6);
        }
    }

    [Fact]
    public void FinishedRunIsNotRunAgain()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());
        Assert.Equal(0, CliProcess.Run(scratch.Root, "run", file).ExitCode);

        var again = CliProcess.Run(scratch.Root, "run", file);

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already finished", again.Error);
        Assert.Contains("| run | bct |", again.Output);
    }

    private static bool HasNewStageCheckpoint(string folder) =>
        Directory.Exists(folder) && Directory.GetFiles(folder, "step-*.ckpt", SearchOption.AllDirectories).Any(f => f.Contains("/checkpoints/new/", StringComparison.Ordinal));
}
