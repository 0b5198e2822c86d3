using System.Text.Json.Nodes;
using CompatLab.Engine.Runtime;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Runtime;

public class FreshMemoryFillTests
{
    [Fact]
    public void TheTestHostHandsOutNewCpuMemoryFilledWithNaN()
    {
        Assert.Equal("nan", Environment.GetEnvironmentVariable(FreshMemoryFill.Variable));
        using var fresh = empty(4096);

        Assert.True(isnan(fresh).all().item<bool>(), "new libtorch memory is not NaN-filled in the test host");
    }

    /// <summary>
    /// The check for the Zen 5 kind of fault on any machine: if anything in a training run read memory it never
    /// wrote, the NaN-filled run would end with other numbers (or none) than the run on memory as it comes.
    /// </summary>
    [Fact]
    public void TrainingOnNaNFilledMemoryGivesTheNumbersOfTrainingOnUntouchedMemory()
    {
        var filled = TinyRunResults("nan");
        var untouched = TinyRunResults("none");

        foreach (string test in new[] { "oldSelf", "newSelf", "cross" })
        {
            Assert.Equal((double)untouched[test]!["map"]!, (double)filled[test]!["map"]!, 12);
            Assert.Equal((double)untouched[test]!["recallAt1"]!, (double)filled[test]!["recallAt1"]!, 12);
        }
    }

    private static JsonNode TinyRunResults(string fill)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());
        var start = CliProcess.StartInfo(scratch.Root, "run", file);
        start.Environment[FreshMemoryFill.Variable] = fill;
        var run = CliProcess.Run(start);
        Assert.True(run.ExitCode == 0, run.Error);
        string results = Directory.GetFiles(scratch.PathOf("runs/tiny"), "results.json", SearchOption.AllDirectories).Single();
        return JsonNode.Parse(File.ReadAllText(results))!;
    }
}
