using CompatLab.Testing;
using Xunit;
using static CompatLab.Tests.Conformance.KitSamplePlugins;

namespace CompatLab.Tests.Conformance;

/// <summary>The kit catches what it promises to catch, and says which check failed and why.</summary>
public class ConformanceKitTests
{
    private static CheckResult Result(ConformanceReport report, string checkStart) =>
        Assert.Single(report.Results, r => r.Check.StartsWith(checkStart, StringComparison.Ordinal));

    [Fact]
    public void AcceptedBadOptionsAreReportedWithTheOptionName()
    {
        var report = ConformanceKit.Loss(typeof(TrustingLoss), new ConformanceSettings
        {
            BadOptions = new Dictionary<string, object?> { ["repeats"] = -1 },
            LeakSteps = 3,
        });

        var options = Result(report, "bad options");
        Assert.False(options.Passed);
        Assert.Contains("'Repeats' = -1 was accepted", options.Message, StringComparison.Ordinal);
        Assert.True(Result(report, "gradients").Passed, report.ToString());
        Assert.True(Result(report, "differs").Passed, report.ToString());
    }

    [Fact]
    public void ATensorKeptFromEveryStepIsALeak()
    {
        var report = ConformanceKit.Check(typeof(LeakyLoss), new ConformanceSettings { LeakSteps = 10 });

        var leak = Result(report, "no tensors leak");
        Assert.False(leak.Passed);
        Assert.Contains("9 more tensors", leak.Message, StringComparison.Ordinal);
        Assert.Throws<ConformanceException>(() => report.ThrowIfFailed());
    }

    [Fact]
    public void ALossThatAddsNothingFailsUnlessItIsTheBaseline()
    {
        var report = ConformanceKit.Loss(typeof(NoiseLoss), new ConformanceSettings { LeakSteps = 3 });
        Assert.False(Result(report, "differs").Passed);

        var baseline = ConformanceKit.Loss(typeof(NoiseLoss), new ConformanceSettings { LeakSteps = 3, IsBaseline = true });
        Assert.DoesNotContain(baseline.Results, r => r.Check.StartsWith("differs", StringComparison.Ordinal));
    }

    [Fact]
    public void ATypeWithoutThePluginAttributeFailsClearly()
    {
        var report = ConformanceKit.Check(typeof(Unmarked));

        Assert.False(report.Passed);
        Assert.Contains("no [CompatLabPlugin] attribute", Assert.Single(report.Results).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AskingForTheWrongKindFailsClearly()
    {
        var report = ConformanceKit.Backbone(typeof(TrustingLoss));

        Assert.Contains("marked as a loss, not a backbone", Assert.Single(report.Results).Message, StringComparison.Ordinal);
    }
}
