using System.Diagnostics;
using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.EndToEnd;

/// <summary>A plugin project that lives outside the solution, built against the contract only, used by a run.</summary>
public class OutsidePluginTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <EnableDynamicLoading>true</EnableDynamicLoading>
          </PropertyGroup>
          <ItemGroup>
            <Reference Include="CompatLab.Abstractions"><HintPath>$(CompatLabHost)/CompatLab.Abstractions.dll</HintPath><Private>false</Private></Reference>
            <Reference Include="TorchSharp"><HintPath>$(CompatLabHost)/TorchSharp.dll</HintPath><Private>false</Private></Reference>
          </ItemGroup>
        </Project>
        """;

    private const string Source = """
        using CompatLab.Abstractions.Losses;
        using CompatLab.Abstractions.Plugins;
        using static TorchSharp.torch;

        namespace Outside;

        public sealed class FeatureDistanceOptions
        {
            public double Weight { get; set; } = 1.0;
        }

        /// <summary>Pulls normalised new embeddings towards the old model's (the l2 idea, written outside CompatLab).</summary>
        [CompatLabPlugin(PluginKind.CompatibilityLoss, "outside-l2", Description = "A loss from outside the solution.", Options = typeof(FeatureDistanceOptions))]
        public sealed class FeatureDistance : ICompatibilityLoss
        {
            private readonly double weight;
            public FeatureDistance(FeatureDistanceOptions options) => weight = options.Weight;
            public bool NeedsOldEmbeddings => true;
            public void Prepare(CompatibilityContext context) { }
            public Tensor Compute(CompatibilityBatch batch)
            {
                var n = nn.functional.normalize(batch.NewEmbeddings, 2, 1);
                var o = nn.functional.normalize(batch.OldEmbeddings!, 2, 1);
                return (n - o).pow(2).sum(1).mean() * weight;
            }
            public void Dispose() { }
        }
        """;

    [Fact]
    public void PluginBuiltOutsideTheSolutionIsLoadedAndUsedByARun()
    {
        using var scratch = new ScratchFolder();
        scratch.File("outside/Outside.csproj", Project);
        scratch.File("outside/FeatureDistance.cs", Source);
        OutsideBuild.Run(scratch.PathOf("outside"), scratch.PathOf("plugins/Outside"), "-c", "Release");

        Assert.False(File.Exists(scratch.PathOf("plugins/Outside/TorchSharp.dll")), "the plugin must not ship its own TorchSharp");

        var listed = CliProcess.Run(scratch.Root, "plugins", "--plugins", scratch.PathOf("plugins"));
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("outside-l2", listed.Output);

        string experiment = scratch.File("e.json", TinyExperiment.Json(loss: "outside-l2").Replace("\"output\": \"runs\",", $"\"output\": \"runs\", \"plugins\": {{ \"directories\": [\"{scratch.PathOf("plugins")}\"] }},", StringComparison.Ordinal));
        var run = CliProcess.Run(scratch.Root, "run", experiment, "--set", "new.loss.options.weight=2");

        Assert.True(run.ExitCode == 0, run.Error);
        string results = Directory.GetFiles(scratch.PathOf("runs/tiny"), "results.json", SearchOption.AllDirectories).Single();
        Assert.Equal("outside-l2", (string)JsonNode.Parse(File.ReadAllText(results))!["loss"]!);
        string config = File.ReadAllText(Path.Combine(Path.GetDirectoryName(results)!, "config.json"));
        Assert.Equal(2.0, (double)JsonNode.Parse(config)!["new"]!["loss"]!["options"]!["weight"]!);
    }
}
