using CompatLab.Abstractions;
using Xunit;

namespace CompatLab.Tests.Losses;

/// <summary>Defaults are methods.md's; a bad value is refused with the option's config name and the plugin's.</summary>
public class LossOptionsTests
{
    public static TheoryData<string, string, object> Defaults => new()
    {
        { "contrastive", "Temperature", 0.05 },
        { "hot-refresh", "Temperature", 0.05 },
        { "ndpp", "Scale", 20.0 },
        { "ndpp", "RefreshInterval", 100L },
        { "ndpp", "Momentum", 0.9 },
        { "ndpp", "Eps", 0.3 },
        { "ndpp", "Neighbours", 5 },
        { "ndpp", "Temperature", 0.1 },
        { "ndpp", "Beta", 0.5 },
        { "odpp", "Scale", 20.0 },
        { "odpp", "RefreshInterval", 100L },
        { "odpp", "Momentum", 0.9 },
        { "odpp", "Eps", 0.3 },
        { "odpp", "BankSize", 4096L },
        { "odpp", "Steps", 20 },
        { "odpp", "LearningRate", 0.002 },
        { "odpp", "Alpha", 1.0 },
        { "odpp", "Mu", 0.1 },
    };

    public static TheoryData<string, string, object, string> BadValues => new()
    {
        { "contrastive", "Temperature", 0.0, "temperature" },
        { "hot-refresh", "Temperature", double.NaN, "temperature" },
        { "ndpp", "Scale", -1.0, "scale" },
        { "ndpp", "RefreshInterval", 0L, "refreshInterval" },
        { "ndpp", "Momentum", 1.0, "momentum" },
        { "ndpp", "Momentum", -0.1, "momentum" },
        { "ndpp", "Eps", -0.1, "eps" },
        { "ndpp", "Neighbours", 0, "neighbours" },
        { "ndpp", "Temperature", 0.0, "temperature" },
        { "ndpp", "Beta", double.PositiveInfinity, "beta" },
        { "odpp", "BankSize", 0L, "bankSize" },
        { "odpp", "Steps", 0, "steps" },
        { "odpp", "LearningRate", 0.0, "learningRate" },
        { "odpp", "Alpha", -1.0, "alpha" },
        { "odpp", "Mu", -0.5, "mu" },
        { "odpp", "Eps", double.NaN, "eps" },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void DefaultsAreTheSpecifiedOnes(string plugin, string property, object expected)
    {
        object options = LossPlugins.NewOptions(plugin);

        Assert.Equal(expected, options.GetType().GetProperty(property)!.GetValue(options));
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadValueIsRefusedNamingTheOption(string plugin, string property, object value, string option)
    {
        var options = new Dictionary<string, object> { [property] = value };

        var error = Assert.Throws<CompatLabUserException>(() => LossPlugins.Create(plugin, options));

        Assert.Contains($"'{option}'", error.Message);
        Assert.Contains($"'{plugin}'", error.Message);
        Assert.Single(LossPlugins.NewOptions(plugin, options).Validate());
    }

    [Theory]
    [InlineData("ndpp", "Eps", 0.0)]
    [InlineData("ndpp", "Beta", 0.0)]
    [InlineData("odpp", "Eps", 0.0)]
    [InlineData("odpp", "Mu", 0.0)]
    [InlineData("odpp", "Alpha", 0.0)]
    [InlineData("ndpp", "Momentum", 0.0)]
    public void ZeroIsAllowedWhereItSwitchesATermOff(string plugin, string property, double value)
    {
        Assert.Empty(LossPlugins.NewOptions(plugin, new Dictionary<string, object> { [property] = value }).Validate());
    }

    [Theory]
    [InlineData("l2")]
    [InlineData("lce")]
    public void LossesWithoutHyperParametersTakeNoOptions(string plugin)
    {
        using var loss = LossPlugins.Create(plugin);

        Assert.True(loss.NeedsOldEmbeddings);
    }
}
