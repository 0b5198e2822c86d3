using CompatLab.Engine.Evaluation;
using Xunit;

namespace CompatLab.Tests.Evaluation;

public class CompatibilityMatrixTests
{
    [Fact]
    public void ThreeModelsMatchHandComputedAcAndAm()
    {
        // Pairs t > k: C[1][0] 0.55 >= 0.50 yes; C[2][0] 0.45 >= 0.50 no; C[2][1] 0.60 >= 0.60 yes (ties count).
        var matrix = new CompatibilityMatrix([
            [0.50],
            [0.55, 0.60],
            [0.45, 0.60, 0.70],
        ]);

        Assert.Equal(3, matrix.ModelCount);
        Assert.Equal(0.45, matrix[2, 0]);
        Assert.Equal(2.0 / 3, matrix.AverageCompatibility, 1e-12);
        Assert.Equal((0.50 + 0.55 + 0.60 + 0.45 + 0.60 + 0.70) / 6, matrix.AverageMultiModelAccuracy, 1e-12);
    }

    [Fact]
    public void OneModelHasNoPairsSoAcIsNaN()
    {
        var matrix = new CompatibilityMatrix([[0.5]]);

        Assert.True(double.IsNaN(matrix.AverageCompatibility));
        Assert.Equal(0.5, matrix.AverageMultiModelAccuracy);
    }

    [Fact]
    public void UpperTriangleAndRaggedRowsAreRejected()
    {
        var matrix = new CompatibilityMatrix([[0.5], [0.4, 0.6]]);

        Assert.Throws<ArgumentOutOfRangeException>(() => matrix[0, 1]);
        Assert.Throws<ArgumentException>(() => new CompatibilityMatrix([[0.5], [0.4]]));
        Assert.Throws<ArgumentException>(() => new CompatibilityMatrix([]));
    }
}
