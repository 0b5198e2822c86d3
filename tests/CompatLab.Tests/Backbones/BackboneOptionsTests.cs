using System.ComponentModel;
using System.Reflection;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using Xunit;

namespace CompatLab.Tests.Backbones;

public class BackboneOptionsTests
{
    [Theory]
    [InlineData("resnet-mini", "CIFAR-style")]
    [InlineData("cnn4", "Four conv")]
    public void PluginsAreBackbonesWithDescribedOptions(string name, string descriptionStart)
    {
        var attribute = BackbonePlugins.Attribute(name);

        Assert.Equal(PluginKind.Backbone, attribute.Kind);
        Assert.StartsWith(descriptionStart, attribute.Description);
        Assert.True(typeof(IBackboneFactory).IsAssignableFrom(BackbonePlugins.PluginType(name)));
        Assert.NotNull(attribute.Options!.GetConstructor(Type.EmptyTypes));
        Assert.All(
            attribute.Options!.GetProperties(BindingFlags.Public | BindingFlags.Instance),
            p => Assert.False(string.IsNullOrWhiteSpace(p.GetCustomAttribute<DescriptionAttribute>()?.Description), p.Name));
    }

    [Theory]
    [InlineData("resnet-mini")]
    [InlineData("cnn4")]
    public void DefaultsAreValid(string name)
    {
        Assert.Empty(BackbonePlugins.BindOptions(name).Validate());
    }

    [Fact]
    public void ConfiguredWidthsReplaceTheDefaultsInsteadOfExtendingThem()
    {
        var settings = new Dictionary<string, string?>
        {
            ["widths:0"] = "8",
            ["widths:1"] = "12",
            ["widths:2"] = "24",
            ["BLOCKSPERSTAGE"] = "2",
        };

        using var network = BackbonePlugins.Create("resnet-mini", settings: settings);

        Assert.Equal(24, network.OutputDim);
        Assert.Equal(1 + (3 * 2 * 2) + 2, BackbonePlugins.MaskableLayers(network).Count);
        Assert.Equal(new long[] { 12, 8, 3, 3 }, network.named_parameters().Single(p => p.name == "stage2.block0.conv1.weight").parameter.shape);
    }

    [Theory]
    [InlineData("resnet-mini", new[] { 16, 32 }, 1, "widths must list exactly 3 channel counts (got 2: [16, 32]).")]
    [InlineData("resnet-mini", new[] { 16, 0, -4 }, 1, "widths[1] must be a positive channel count (got 0).|widths[2] must be a positive channel count (got -4).")]
    [InlineData("resnet-mini", new[] { 16, 32, 64 }, 0, "blocksPerStage must be at least 1 (got 0).")]
    [InlineData("resnet-mini", new[] { 16, 32, 64, 128 }, -1, "widths must list exactly 3 channel counts (got 4: [16, 32, 64, 128]).|blocksPerStage must be at least 1 (got -1).")]
    [InlineData("cnn4", new[] { 32, 64, 128 }, 0, "widths must list exactly 4 channel counts (got 3: [32, 64, 128]).")]
    [InlineData("cnn4", new[] { 32, 64, 0, 128 }, 0, "widths[2] must be a positive channel count (got 0).")]
    public void InvalidOptionsAreReportedAndRefused(string name, int[] widths, int blocksPerStage, string expected)
    {
        var settings = widths.Select((w, i) => ($"widths:{i}", (string?)w.ToString())).ToDictionary(p => p.Item1, p => p.Item2);
        if (name == "resnet-mini")
        {
            settings["blocksPerStage"] = blocksPerStage.ToString();
        }

        var options = BackbonePlugins.BindOptions(name, settings);

        Assert.Equal(expected.Split('|'), options.Validate());
        var error = Assert.Throws<CompatLabUserException>(() => BackbonePlugins.Factory(name, options));
        Assert.Contains($"'{name}'", error.Message);
        Assert.All(expected.Split('|'), problem => Assert.Contains(problem, error.Message));
    }

    [Fact]
    public void FactoryKeepsItsOwnCopyOfTheWidths()
    {
        var options = BackbonePlugins.BindOptions("cnn4", new Dictionary<string, string?>
        {
            ["widths:0"] = "2",
            ["widths:1"] = "2",
            ["widths:2"] = "2",
            ["widths:3"] = "6",
        });
        var factory = BackbonePlugins.Factory("cnn4", options);

        ((int[])options.GetType().GetProperty("Widths")!.GetValue(options)!)[3] = 0;
        using var network = factory.Create(new BackboneContext(1, 28, 28, new MaskableLayerFactory()));

        Assert.Equal(6, network.OutputDim);
    }
}
