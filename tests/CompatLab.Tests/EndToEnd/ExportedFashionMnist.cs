using CompatLab.Cli;
using CompatLab.Cli.Data;
using CompatLab.Tests.Support;

namespace CompatLab.Tests.EndToEnd;

/// <summary>
/// Fashion-MNIST written once per test class by `compatlab data export-images` (5 images per class and split, as
/// CI has the Debian package), and experiment files over it small enough to train in seconds.
/// </summary>
public sealed class ExportedFashionMnist : IDisposable
{
    private readonly ScratchFolder scratch = new();

    public ExportedFashionMnist()
    {
        Folder = scratch.PathOf("fm").Replace("\\", "/", StringComparison.Ordinal);
        int exitCode = DataCommand.Run(CliArguments.Parse(["data", "export-images", "--dataset", "fashion-mnist", "--out", Folder, "--limit-per-class", "5"]));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"export-images exited with {exitCode}");
        }
    }

    public string Folder { get; }

    /// <summary>The image-folder dataset over the exported class folders (a fifth of each class held out as test).</summary>
    public string FolderDataset(int workers = 1, string cache = "") =>
        Dataset("image-folder", $"\"root\": \"{Folder}/images\"", workers, cache);

    /// <summary>The image-list dataset over the exported list (its roles: train, query, gallery).</summary>
    public string ListDataset(int workers = 1, string cache = "") =>
        Dataset("image-list", $"\"list\": \"{Folder}/list.csv\"", workers, cache);

    /// <summary>An extended-class experiment on 28x28 images, cnn4 with narrow widths, augmented training.</summary>
    public static string Experiment(string dataset, int newEpochs = 1) => $$"""
        {
          "name": "img",
          "seed": 3,
          "threads": 1,
          "output": "runs",
          "data": { "dataset": {{dataset}}, "split": { "type": "extended-class", "oldClassFraction": 0.5 } },
          "model": { "backbone": { "type": "cnn4", "options": { "widths": [4, 4, 8, 8] } }, "embeddingDim": 8 },
          "old": { "training": { "epochs": 1, "batchSize": 8, "logEvery": 2 } },
          "new": { "loss": { "type": "bct" }, "training": { "epochs": {{newEpochs}}, "batchSize": 8, "logEvery": 2 } },
          "checkpoints": { "everySteps": 3 }
        }
        """;

    public void Dispose() => scratch.Dispose();

    // Fashion-MNIST's images are square, so with imageSize 28 and a cache side of 28 the cached centre square is
    // the whole image: cache on and off must then give the same samples.
    private static string Dataset(string type, string source, int workers, string cache) => $$"""
        { "type": "{{type}}", "options": { {{source}}, "imageSize": 28, "workers": {{workers}},
          "transforms": { "scale": [0.6, 1.0], "mean": [0.286, 0.286, 0.286], "std": [0.353, 0.353, 0.353] }{{cache}} } }
        """;
}
