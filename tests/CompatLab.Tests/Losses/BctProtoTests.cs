using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using Xunit;
using static CompatLab.Tests.Losses.HandMath;
using static CompatLab.Tests.Losses.OldModels;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>
/// Old class means [3, 4], [1, 0], [0, -2] give prototypes o = [0.6, 0.8], [1, 0], [0, -1]; samples [1, 2] (class 0)
/// and [2, -1] (class 2), both of norm sqrt 5.
/// </summary>
public class BctProtoTests
{
    private static readonly int[] Labels = [0, 2];

    private static Tensor ClassMeans() => Rows([3, 4], [1, 0], [0, -2]);

    private static double[][] HandLogits(double s)
    {
        double r5 = Math.Sqrt(5);
        return
        [
            [s * ((1 * 0.6) + (2 * 0.8)) / r5, s * ((1 * 1) + (2 * 0)) / r5, s * ((1 * 0) + (2 * -1)) / r5],
            [s * ((2 * 0.6) + (-1 * 0.8)) / r5, s * ((2 * 1) + (-1 * 0)) / r5, s * ((2 * 0) + (-1 * -1)) / r5],
        ];
    }

    private static double Run(Tensor embeddings, Dictionary<string, object>? options = null)
    {
        using var loss = LossPlugins.Create("bct-proto", options ?? []);
        loss.Prepare(ContextWithMeans(ClassMeans(), embeddings.shape[1]));
        Assert.False(loss.NeedsOldEmbeddings);
        return loss.Compute(new(tensor(new long[] { 0, 2 }), embeddings, null, Step: 0, Epoch: 0)).item<float>();
    }

    [Fact]
    public void DefaultScaleOf20MatchesHandValue()
    {
        using var scope = NewDisposeScope();

        double value = Run(Rows([1, 2], [2, -1]));

        Assert.Equal(CrossEntropy(HandLogits(20), Labels), value, 4);
    }

    [Fact]
    public void ScaleOptionIsUsed()
    {
        using var scope = NewDisposeScope();

        double value = Run(Rows([1, 2], [2, -1]), new() { ["Scale"] = 5.0 });

        Assert.Equal(CrossEntropy(HandLogits(5), Labels), value, 5);
    }

    [Fact]
    public void WiderNewEmbeddingUsesOnlyTheFirstOldDims()
    {
        using var scope = NewDisposeScope();

        double value = Run(Rows([1, 2, 100], [2, -1, -50]));

        Assert.Equal(CrossEntropy(HandLogits(20), Labels), value, 4);
    }

    [Fact]
    public void NarrowerNewEmbeddingIsZeroPadded()
    {
        using var scope = NewDisposeScope();

        // [1] and [-2] become [1, 0] and [-2, 0]: cosines are the prototypes' first coordinates, signed.
        double[][] logits = [[20 * 0.6, 20 * 1.0, 20 * 0.0], [20 * -0.6, 20 * -1.0, 20 * 0.0]];

        double value = Run(Rows([1], [-2]));

        Assert.Equal(CrossEntropy(logits, Labels), value, 4);
    }

    [Fact]
    public void LogitsAreScaledCosinesAgainstNormalisedPrototypes()
    {
        using var scope = NewDisposeScope();
        dynamic classifier = Activator.CreateInstance(
            LossPlugins.SharedType("CompatLab.Plugins.Losses.Classifiers.PrototypeClassifier"), ClassMeans(), 20.0)!;
        try
        {
            Tensor logits = classifier.Logits(Rows([1, 2], [2, -1]));

            double[][] expected = HandLogits(20);
            float[] actual = logits.data<float>().ToArray();
            Assert.Equal(new long[] { 2, 3 }, logits.shape);
            for (int i = 0; i < 6; i++)
            {
                Assert.Equal(expected[i / 3][i % 3], actual[i], 4);
            }
        }
        finally
        {
            classifier.Dispose();
        }
    }

    [Fact]
    public void ClassMeansAreLeftAsGiven()
    {
        using var scope = NewDisposeScope();
        Tensor means = ClassMeans();
        Tensor original = means.clone();
        Tensor embeddings = Rows([1, 2], [2, -1]).requires_grad_();
        using var loss = LossPlugins.Create("bct-proto", new Dictionary<string, object>());
        loss.Prepare(ContextWithMeans(means, 2));

        loss.Compute(new(tensor(new long[] { 0, 2 }), embeddings, null, Step: 0, Epoch: 0)).backward();

        Assert.NotNull(embeddings.grad);
        Assert.False(means.requires_grad);
        Assert.Equal(original.data<float>().ToArray(), means.data<float>().ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveScaleIsRefusedNamingTheOption(double scale)
    {
        var error = Assert.Throws<CompatLabUserException>(
            () => LossPlugins.Create("bct-proto", new Dictionary<string, object> { ["Scale"] = scale }));

        Assert.Contains("'scale'", error.Message);
        Assert.Contains("bct-proto", error.Message);
        Assert.Single(LossPlugins.NewOptions("bct-proto", new Dictionary<string, object> { ["Scale"] = scale }).Validate());
    }
}
