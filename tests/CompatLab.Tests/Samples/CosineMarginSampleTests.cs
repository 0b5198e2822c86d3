using System.Diagnostics;
using System.Runtime.Loader;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using CompatLab.Engine.Plugins;
using CompatLab.Tests.Losses;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Samples;

/// <summary>
/// The SDK sample plugins/samples/CosineMarginLoss, loaded from its own plugin directory (artifacts/samples) as an
/// outside plugin: its loss value, its option check, where its SDK copy loads from, and a tiny experiment with it.
/// </summary>
public sealed class CosineMarginSampleTests
{
    private static readonly Lazy<string> Directory = new(FindSamples);

    [Fact]
    public void LossIsTheMeanOfTheMarginShortfallOfPairedCosines()
    {
        using var scope = NewDisposeScope();
        using var catalog = PluginCatalog.Load([Directory.Value]);
        using var loss = new LossTermFactory(catalog).Create("cosine-margin", null, "test");
        loss.Prepare(OldModels.ContextWithMeans(zeros(2, 2), newWidth: 2));

        // cos = 1, 0.7071 and -1: only the last falls short of m = 0.5, by 1.5.
        var batch = Batches.Of([0, 1, 0], OldModels.Rows([1, 0], [0, 1], [1, 0]), OldModels.Rows([1, 0], [1, 1], [-1, 0]));

        Assert.True(loss.NeedsOldEmbeddings);
        Assert.Equal(0.5, loss.Compute(batch).item<float>(), 6);
    }

    [Fact]
    public void NegativeMarginIsRefusedNamingTheOption()
    {
        using var catalog = PluginCatalog.Load([Directory.Value]);

        var error = Assert.ThrowsAny<CompatLabUserException>(() =>
            new LossTermFactory(catalog).Create("cosine-margin", new Dictionary<string, string> { ["margin"] = "-1" }, "test"));

        Assert.Contains("Option 'margin' must be a finite number of at least 0; got -1", error.Message);
    }

    [Fact]
    public void TheSampleCarriesItsOwnSdkAndSharesOnlyTheContractAndTorchSharp()
    {
        string folder = Path.Combine(Directory.Value, "CosineMarginLoss");
        Assert.True(File.Exists(Path.Combine(folder, "CompatLab.Sdk.dll")), "the SDK is copied beside the plugin");
        Assert.False(File.Exists(Path.Combine(folder, "CompatLab.Abstractions.dll")), "the contract is the host's");
        Assert.False(File.Exists(Path.Combine(folder, "TorchSharp.dll")), "TorchSharp is the host's");
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "CompatLab.Sdk.dll")), "a host has no SDK of its own to share");

        using var catalog = PluginCatalog.Load([PluginCatalog.DefaultDirectory, Directory.Value]);
        using var sample = new LossTermFactory(catalog).Create("cosine-margin", null, "test");
        using var builtIn = new LossTermFactory(catalog).Create("l2", null, "test");
        var sampleSdk = sample.GetType().BaseType!.Assembly;
        Assert.Equal("CompatLab.Sdk", sampleSdk.GetName().Name);
        Assert.Contains(typeof(ICompatibilityLoss), sample.GetType().GetInterfaces());

        // Tests that load a plugin assembly directly (LossPlugins) put an SDK into the default context, which the
        // loader then prefers; a host never does, and then each plugin loads the copy beside it.
        if (!AssemblyLoadContext.Default.Assemblies.Any(a => a.GetName().Name == "CompatLab.Sdk"))
        {
            Assert.Equal(Path.Combine(folder, "CompatLab.Sdk.dll"), sampleSdk.Location);
            Assert.NotSame(sampleSdk, builtIn.GetType().BaseType!.Assembly);
        }
    }

    [Fact]
    public void TinyExperimentRunsWithTheSample()
    {
        using var scratch = new ScratchFolder();
        string output = scratch.PathOf("runs").Replace("\\", "/", StringComparison.Ordinal);
        string plugins = Directory.Value.Replace("\\", "/", StringComparison.Ordinal);
        string file = scratch.File("e.json", TinyExperiment.Json(loss: "cosine-margin", extra: """, "tracking": { "trackers": [] }""")
            .Replace("\"output\": \"runs\",", $"\"output\": \"{output}\", \"plugins\": {{ \"directories\": [\"{plugins}\"] }},", StringComparison.Ordinal));
        using var run = InProcessRun.Open(file, "new.loss.options.margin=0.8");

        var result = run.Run();

        Assert.Equal("cosine-margin", result.Loss);
        Assert.True(double.IsFinite(result.Cross!.Map) && double.IsFinite(result.NewSelf.Map), run.Messages.ToString());
        Assert.Contains("\"margin\": 0.8", File.ReadAllText(Path.Combine(result.RunFolder, "config.json")));
    }

    [Fact]
    public void TheSampleBuildsOutsideTheRepositoryAgainstTheHostsFolder()
    {
        using var scratch = new ScratchFolder();
        scratch.File("outside/CosineMarginLoss.csproj", OutsideProject);
        scratch.File("outside/CosineMargin.cs", File.ReadAllText(Path.Combine(RepositoryOf(Directory.Value), "plugins", "samples", "CosineMarginLoss", "CosineMargin.cs")));
        OutsideBuild.Run(scratch.PathOf("outside"), scratch.PathOf("plugins/CosineMarginLoss"));

        Assert.True(File.Exists(scratch.PathOf("plugins/CosineMarginLoss/CompatLab.Sdk.dll")), "the SDK travels with the plugin");
        Assert.False(File.Exists(scratch.PathOf("plugins/CosineMarginLoss/TorchSharp.dll")), "the plugin must not ship its own TorchSharp");
        using var catalog = PluginCatalog.Load([scratch.PathOf("plugins")]);
        Assert.Equal("cosine-margin", Assert.Single(catalog.Plugins).Name);
    }

    /// <summary>What docs/plugins.md tells an outside author to write: contract and TorchSharp shared, the SDK carried.</summary>
    private const string OutsideProject = """
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
            <Reference Include="CompatLab.Sdk"><HintPath>$(CompatLabHost)/sdk/CompatLab.Sdk.dll</HintPath></Reference>
          </ItemGroup>
        </Project>
        """;

    private static string RepositoryOf(string samples) => Path.GetFullPath(Path.Combine(samples, "..", ".."));

    /// <summary>artifacts/samples of the repository the tests were built in (the solution builds the sample there).</summary>
    private static string FindSamples()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "artifacts", "samples");
            if (File.Exists(Path.Combine(candidate, "CosineMarginLoss", "CosineMarginLoss.dll")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"artifacts/samples/CosineMarginLoss is not built above {AppContext.BaseDirectory}; build Framework.sln first");
    }
}
