using CompatLab.Engine.Evaluation;
using Xunit;

namespace CompatLab.Tests.Evaluation;

public class CompatibilityCriteriaTests
{
    [Theory]
    [InlineData(0.62, 0.55, true)]
    [InlineData(0.40, 0.55, false)]
    [InlineData(0.55, 0.55, false)] // strict: matching the old model is not enough
    [InlineData(double.NaN, 0.55, false)]
    public void EccNeedsCrossTestAboveOldSelfTest(double cross, double oldSelf, bool expected)
    {
        Assert.Equal(expected, CompatibilityCriteria.Ecc(cross, oldSelf));
    }

    [Theory]
    [InlineData(0.60, 0.50, 0.70, 0.5)] // kept half of the independent model's 0.20 gain
    [InlineData(0.70, 0.50, 0.70, 1.0)]
    [InlineData(0.40, 0.50, 0.70, -0.5)] // worse than the old model
    [InlineData(0.60, 0.50, 0.40, -1.0)] // new* fell behind old: kept as measured
    public void UpdateGainIsTheShareOfTheIndependentGain(double cross, double oldSelf, double independentSelf, double expected)
    {
        Assert.Equal(expected, CompatibilityCriteria.UpdateGain(cross, oldSelf, independentSelf), 1e-12);
    }

    [Theory]
    [InlineData(0.60, 0.50, 0.50)]
    [InlineData(double.NaN, 0.50, 0.70)]
    public void UpdateGainIsNaNWhenUndefined(double cross, double oldSelf, double independentSelf)
    {
        Assert.True(double.IsNaN(CompatibilityCriteria.UpdateGain(cross, oldSelf, independentSelf)));
    }
}
