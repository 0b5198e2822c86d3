using System.Text.Json.Nodes;
using CompatLab.Engine.Weights;
using CompatLab.Tests.EndToEnd;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Backbones;

/// <summary>`compatlab export` as a process on a finished run: the files it writes, and its refusals (exit 2).</summary>
public class ExportCommandTests : IClassFixture<FinishedTinyRun>
{
    private readonly FinishedTinyRun run;

    public ExportCommandTests(FinishedTinyRun run)
    {
        this.run = run;
    }

    [Fact]
    public void WritesTheNewModelAsSafetensorsWithItsDescription()
    {
        string weights = run.Scratch.PathOf("export/tiny.safetensors");

        var result = CliProcess.Run(run.Scratch.Root, "export", run.Folder, "--out", weights);

        Assert.True(result.ExitCode == 0, result.Error);
        var keys = StateDictFile.Read(weights).Keys.ToList();
        var description = JsonNode.Parse(File.ReadAllText(run.Scratch.PathOf("export/tiny.json")))!;
        Assert.Contains("projector.weight", keys);
        Assert.Contains("projector_norm.running_var", keys);
        Assert.Contains(keys, k => k.StartsWith("trunk.", StringComparison.Ordinal));
        Assert.Equal(description["config"]!["model"]!["backbone"]!["type"]!.GetValue<string>(), description["backbone"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "needs --out FILE.safetensors")]
    [InlineData("model.pt", "must end in .safetensors")]
    public void RefusesAMissingOrWrongOutputFile(string? output, string message)
    {
        var result = output is null
            ? CliProcess.Run(run.Scratch.Root, "export", run.Folder)
            : CliProcess.Run(run.Scratch.Root, "export", run.Folder, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
    }
}
