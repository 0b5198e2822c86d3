using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.EndToEnd;

/// <summary>`compatlab run` on bad input: exit code 2, one clear message, no stack trace, no run folder.</summary>
public class BrokenInputTests
{
    private static string RunFails(ScratchFolder scratch, string experiment, params string[] extra)
    {
        string file = scratch.File("experiment.json", experiment);
        var (exitCode, _, error) = CliProcess.Run(scratch.Root, new[] { "run", file }.Concat(extra).ToArray());

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Exception", error);
        Assert.False(Directory.Exists(scratch.PathOf("runs")), "a run folder was left behind");
        return error;
    }

    [Fact]
    public void UnknownKey()
    {
        using var scratch = new ScratchFolder();
        string error = RunFails(scratch, TinyExperiment.Json(extra: ", \"optimiser\": {}"));
        Assert.Contains("optimiser: unknown key", error);
    }

    [Fact]
    public void WrongType()
    {
        using var scratch = new ScratchFolder();
        string error = RunFails(scratch, TinyExperiment.Json(), "--set", "new.training.batchSize=eight");
        Assert.Contains("new.training.batchSize: expected a whole number, got \"eight\"", error);
    }

    [Fact]
    public void UnknownPlugin()
    {
        using var scratch = new ScratchFolder();
        string error = RunFails(scratch, TinyExperiment.Json(loss: "bcd"));
        Assert.Contains("unknown loss plugin 'bcd' (did you mean 'bct'", error);
    }

    [Fact]
    public void MissingDataFile()
    {
        using var scratch = new ScratchFolder();
        string experiment = TinyExperiment.Json().Replace(
            "\"type\": \"synthetic\", \"options\": { \"classes\": 4, \"trainPerClass\": 24, \"testPerClass\": 6, \"size\": 16 }",
            $"\"type\": \"fashion-mnist\", \"options\": {{ \"root\": \"{scratch.PathOf("nowhere")}\" }}",
            StringComparison.Ordinal);
        string error = RunFails(scratch, experiment);
        Assert.Contains(scratch.PathOf("nowhere"), error);
    }

    [Fact]
    public void CorruptIdxFile()
    {
        using var scratch = new ScratchFolder();
        string data = scratch.PathOf("data");
        Directory.CreateDirectory(data);
        foreach (string name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            File.WriteAllBytes(Path.Combine(data, name), new byte[] { 0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3 });
        }

        string experiment = TinyExperiment.Json().Replace(
            "\"type\": \"synthetic\", \"options\": { \"classes\": 4, \"trainPerClass\": 24, \"testPerClass\": 6, \"size\": 16 }",
            $"\"type\": \"fashion-mnist\", \"options\": {{ \"root\": \"{data}\" }}",
            StringComparison.Ordinal);
        string error = RunFails(scratch, experiment);
        Assert.Contains(Path.Combine(data, "train-images-idx3-ubyte"), error);
    }

    [Fact]
    public void MissingExperimentFile()
    {
        using var scratch = new ScratchFolder();
        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", "absent.json");
        Assert.Equal(2, exitCode);
        Assert.Equal("error: absent.json: experiment file not found", error.Trim());
    }
}
