using CompatLab.Abstractions;
using CompatLab.Bench;
using CompatLab.Cli;
using Xunit;

namespace CompatLab.Tests.Bench;

/// <summary>The image benches' argument checks, which fail before any plugin or image is loaded.</summary>
public sealed class ImageBenchOptionsTests
{
    [Fact]
    public void The_images_bench_without_a_list_names_the_option_and_the_corpus_script()
    {
        var arguments = CliArguments.Parse(["bench", "images", "--list", "/nonexistent/list.csv"]);

        var error = Assert.Throws<CompatLabUserException>(() => ImagesBench.Run(arguments));
        Assert.Contains("--list", error.Message, StringComparison.Ordinal);
        Assert.Contains("make-corpus.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_warm_up_is_a_user_error_naming_the_option()
    {
        string list = Path.GetTempFileName();
        try
        {
            var arguments = CliArguments.Parse(["bench", "images", "--list", list, "--warmup", "-1"]);

            var error = Assert.Throws<CompatLabUserException>(() => ImagesBench.Run(arguments));
            Assert.Contains("--warmup", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(list);
        }
    }

    [Fact]
    public void The_decoders_bench_without_a_list_names_the_option()
    {
        var arguments = CliArguments.Parse(["bench", "decoders"]);

        var error = Assert.Throws<CompatLabUserException>(() => DecodersBench.Run(arguments));
        Assert.Contains("--list", error.Message, StringComparison.Ordinal);
    }
}
