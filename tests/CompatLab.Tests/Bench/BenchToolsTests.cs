using CompatLab.Abstractions;
using CompatLab.Bench;
using CompatLab.Cli;
using Xunit;

namespace CompatLab.Tests.Bench;

public sealed class BenchToolsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("compatlab-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Npy_files_round_trip_features_and_labels_with_a_64_byte_aligned_header()
    {
        float[] features = [0.5f, -1.25f, 3f, float.Epsilon, 7f, -0f];
        long[] labels = [3, -1, long.MaxValue];
        string featurePath = Path.Combine(_folder, "features.npy");
        string labelPath = Path.Combine(_folder, "labels.npy");

        NpyFile.WriteFloat32(featurePath, features, rows: 2, columns: 3);
        NpyFile.WriteInt64(labelPath, labels);

        var (read, rows, columns) = NpyFile.ReadFloat32(featurePath);
        Assert.Equal((2, 3), (rows, columns));
        Assert.Equal(features, read);
        Assert.Equal(labels, NpyFile.ReadInt64(labelPath));
        Assert.Equal(0, (new FileInfo(featurePath).Length - (features.Length * 4)) % 64);
    }

    [Fact]
    public void Reading_a_label_file_as_features_names_the_file()
    {
        string path = Path.Combine(_folder, "labels.npy");
        NpyFile.WriteInt64(path, [1, 2]);

        var error = Assert.Throws<CompatLabUserException>(() => NpyFile.ReadFloat32(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cnn4_forward_macs_follow_the_layer_shapes()
    {
        // 1x28x28 -> 32@28 (pool 14) -> 64@14 (pool 7) -> 128@7 (pool 3) -> 128@3, then 128->128 and 128->10.
        long expected = (28 * 28 * 32 * 1 * 9) + (14 * 14 * 64 * 32 * 9) + (7 * 7 * 128 * 64 * 9) + (3 * 3 * 128 * 128 * 9) + (128 * 128) + (128 * 10);

        Assert.Equal(expected, StepFlops.Cnn4Macs(1, 28, [32, 64, 128, 128], 128, 10));
    }

    [Fact]
    public void ResNet_mini_forward_macs_include_the_projection_shortcuts()
    {
        long stem = 28 * 28 * 16 * 1 * 9;
        long stage1 = 2 * (28 * 28 * 16 * 16 * 9);
        long stage2 = (14 * 14 * 32 * 16 * 9) + (14 * 14 * 32 * 32 * 9) + (14 * 14 * 32 * 16);
        long stage3 = (7 * 7 * 64 * 32 * 9) + (7 * 7 * 64 * 64 * 9) + (7 * 7 * 64 * 32);
        long head = (64 * 128) + (128 * 10);

        Assert.Equal(stem + stage1 + stage2 + stage3 + head, StepFlops.ResNetMiniMacs(1, 28, [16, 32, 64], 1, 128, 10));
    }

    [Fact]
    public void A_training_step_counts_three_forward_passes_of_two_flops_per_mac()
    {
        Assert.Equal(2.0 * 1000 * 128 * 3, StepFlops.TrainingStep(1000, 128));
    }

    [Fact]
    public void An_unknown_bench_option_is_a_user_error_that_lists_the_known_ones()
    {
        var given = new Dictionary<string, string> { ["repeat"] = "3" };

        var error = Assert.Throws<CompatLabUserException>(() => new BenchOptions("eval", given, ["repeats", "n"]));
        Assert.Contains("--repeat", error.Message, StringComparison.Ordinal);
        Assert.Contains("--repeats", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_positive_count_names_the_option_and_value()
    {
        var options = new BenchOptions("eval", new Dictionary<string, string> { ["n"] = "-5" }, ["n"]);

        var error = Assert.Throws<CompatLabUserException>(() => options.PositiveInt("n", 10));
        Assert.Contains("--n", error.Message, StringComparison.Ordinal);
        Assert.Contains("'-5'", error.Message, StringComparison.Ordinal);
    }
}
