namespace CompatLab.Tests.Datasets;

/// <summary>
/// A small valid IDX dataset on disk (6 training and 3 test images of 3 x 4 pixels, 3 classes) whose files a
/// test may overwrite with broken versions, plus the idx plugin options pointing at it.
/// </summary>
internal sealed class TinyIdxDataset : IDisposable
{
    public const int Rows = 3;
    public const int Columns = 4;

    public static readonly byte[] TrainLabelValues = [0, 1, 2, 0, 1, 2];
    public static readonly byte[] TestLabelValues = [2, 1, 0];

    private readonly TempFolder folder = new();

    public TinyIdxDataset(bool gzip = false)
    {
        string suffix = gzip ? ".gz" : string.Empty;
        TrainImages = folder.Write("train-images" + suffix, IdxBytes.Images(6, Rows, Columns, TrainPixel), gzip);
        TrainLabels = folder.Write("train-labels" + suffix, IdxBytes.Labels(TrainLabelValues), gzip);
        TestImages = folder.Write("test-images" + suffix, IdxBytes.Images(3, Rows, Columns, TestPixel), gzip);
        TestLabels = folder.Write("test-labels" + suffix, IdxBytes.Labels(TestLabelValues), gzip);
    }

    public string TrainImages { get; }

    public string TrainLabels { get; }

    public string TestImages { get; }

    public string TestLabels { get; }

    public string Root => folder.Root;

    public static byte TrainPixel(int i) => (byte)((i * 7) % 256);

    public static byte TestPixel(int i) => (byte)(255 - i);

    /// <summary>Options for the idx plugin with identity normalisation (mean 0, std 1), plus any overrides.</summary>
    public Dictionary<string, string?> Options(params (string Key, string? Value)[] overrides)
    {
        var options = new Dictionary<string, string?>
        {
            ["trainImages"] = TrainImages,
            ["trainLabels"] = TrainLabels,
            ["testImages"] = TestImages,
            ["testLabels"] = TestLabels,
            ["mean"] = "0",
            ["std"] = "1",
        };
        foreach (var (key, value) in overrides)
        {
            options[key] = value;
        }

        return options;
    }

    public void Overwrite(string path, byte[] content) => File.WriteAllBytes(path, content);

    public void Dispose() => folder.Dispose();
}
