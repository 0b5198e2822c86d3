using CompatLab.Engine.Training;
using Xunit;

namespace CompatLab.Tests.Training;

public class SeedDerivationTests
{
    [Fact]
    public void StagesGetDistinctRepeatableSeeds()
    {
        Assert.Equal(SeedDerivation.Derive(1, "old-init"), SeedDerivation.Derive(1, "old-init"));
        Assert.NotEqual(SeedDerivation.Derive(1, "old-init"), SeedDerivation.Derive(1, "new-init"));
        Assert.NotEqual(SeedDerivation.Derive(1, "old-init"), SeedDerivation.Derive(2, "old-init"));
        Assert.True(SeedDerivation.Derive(7, "x") >= 0);
    }
}
