using System.Diagnostics;
using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.EndToEnd;

/// <summary>
/// Issue #14's "Done when" through `compatlab run` on exported Fashion-MNIST: image-folder and image-list train and
/// evaluate, and cache on/off, 1/2 decode workers and a killed-and-resumed run all give the same results.json.
/// </summary>
public class ImageEndToEndTests(ExportedFashionMnist data) : IClassFixture<ExportedFashionMnist>
{
    [Fact]
    public void ImageFolderTrainsAndEvaluatesTheSameWithOneAndTwoDecodeWorkers()
    {
        var one = Run(ExportedFashionMnist.Experiment(data.FolderDataset(workers: 1)));
        var two = Run(ExportedFashionMnist.Experiment(data.FolderDataset(workers: 2)));

        AssertEvaluated(one);
        Assert.Equal(ResultFigures(one), ResultFigures(two));
    }

    [Fact]
    public void ImageListTrainsAndEvaluatesTheSameWithOneAndTwoDecodeWorkers()
    {
        var one = Run(ExportedFashionMnist.Experiment(data.ListDataset(workers: 1)));
        var two = Run(ExportedFashionMnist.Experiment(data.ListDataset(workers: 2)));

        AssertEvaluated(one);
        Assert.Equal(ResultFigures(one), ResultFigures(two));
    }

    [Theory]
    [InlineData("image-folder")]
    [InlineData("image-list")]
    public void CacheOnAndOffGiveTheSameResults(string format)
    {
        using var cacheFolder = new ScratchFolder();
        string cache = $$""", "cache": { "shortSide": 28, "folder": "{{cacheFolder.Root.Replace("\\", "/", StringComparison.Ordinal)}}" }""";
        Func<int, string, string> dataset = format == "image-folder" ? data.FolderDataset : data.ListDataset;

        var off = Run(ExportedFashionMnist.Experiment(dataset(2, string.Empty)));
        var on = Run(ExportedFashionMnist.Experiment(dataset(2, cache)));

        Assert.NotEmpty(Directory.GetFiles(cacheFolder.Root));
        Assert.Equal(ResultFigures(off), ResultFigures(on));
    }

    [Fact]
    public void AKilledImageListRunResumesAndEndsIdenticalToAnUninterruptedOne()
    {
        string json = ExportedFashionMnist.Experiment(data.ListDataset(workers: 2), newEpochs: 6);
        var uninterrupted = Run(json);

        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", json);
        using (var process = Process.Start(CliProcess.StartInfo(scratch.Root, "run", file))!)
        {
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!HasNewStageCheckpoint(scratch.PathOf("runs")) && !process.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }

            Assert.False(process.HasExited, "the run ended before it could be killed; make the new stage longer");
            process.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            process.WaitForExit();
        }

        var resumed = CliProcess.Run(scratch.Root, "run", file);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("new: resuming from the checkpoint at step", resumed.Error);
        Assert.Equal(ResultFigures(uninterrupted), ResultFigures(Results(scratch.Root)));
    }

    private static JsonNode Run(string json)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", json);
        var run = CliProcess.Run(scratch.Root, "run", file);
        Assert.True(run.ExitCode == 0, run.Error);
        return Results(scratch.Root);
    }

    private static JsonNode Results(string root) =>
        JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(root, "runs"), "results.json", SearchOption.AllDirectories).Single()))!;

    private static void AssertEvaluated(JsonNode results)
    {
        foreach (string test in new[] { "oldSelf", "newSelf", "cross" })
        {
            double map = (double)results[test]!["map"]!;
            Assert.InRange(map, 0.0, 1.0);
        }
    }

    /// <summary>Every figure of the three evaluations (mAP, mAP@k, k, R@1) and the ECC verdict, to be compared exactly.</summary>
    private static List<(string, double)> ResultFigures(JsonNode results)
    {
        var figures = new[] { "oldSelf", "newSelf", "cross" }
            .SelectMany(test => results[test]!.AsObject()
                .Where(p => p.Value is JsonValue v && v.TryGetValue<double>(out _))
                .Select(p => ($"{test}.{p.Key}", (double)p.Value!)))
            .Append(("ecc", (bool)results["ecc"]! ? 1.0 : 0.0))
            .ToList();
        Assert.Equal(13, figures.Count);
        return figures;
    }

    private static bool HasNewStageCheckpoint(string folder) =>
        Directory.Exists(folder) && Directory.GetFiles(folder, "step-*.ckpt", SearchOption.AllDirectories).Any(f => f.Contains("/checkpoints/new/", StringComparison.Ordinal));
}
