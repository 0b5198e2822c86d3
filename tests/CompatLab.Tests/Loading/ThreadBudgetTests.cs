using CompatLab.Engine.Runtime;
using Xunit;

namespace CompatLab.Tests.Loading;

public class ThreadBudgetTests
{
    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(2, 5, 1)]
    [InlineData(16, 4, 4)]
    [InlineData(16, 3, 5)]
    public void EachProcessGetsItsShareOfTheCores(int cores, int workers, int share)
    {
        var budget = ThreadBudget.For(configuredTorch: 0, workers, cores);

        Assert.Equal(share, budget.Torch);
        Assert.Equal(share, budget.Decode);
    }

    [Fact]
    public void ConfiguredTorchThreadsWinAndTheChoiceIsSaidInOneLine()
    {
        var budget = ThreadBudget.For(configuredTorch: 3, workers: 1, cores: 2);

        Assert.Equal(3, budget.Torch);
        Assert.Equal("threads: 3 torch, 2 decode (2 cores, 1 worker)", budget.ToString());
    }
}
