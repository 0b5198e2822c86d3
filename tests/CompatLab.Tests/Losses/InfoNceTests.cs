using Xunit;
using static CompatLab.Tests.Losses.HandMath;
using static CompatLab.Tests.Losses.OldModels;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>
/// Three samples with labels 0, 0, 1. Sample 0's negatives are sample 2 only (sample 1 shares its label), so its
/// denominator is e^(n0.o0/tau) + e^(n0.o2/tau) [+ e^(n0.n2/tau) for hot-refresh].
/// </summary>
public class InfoNceTests
{
    private static readonly int[] Labels = [0, 0, 1];
    private static readonly double[][] NewRows = [[0.6, 0.8], [1, 0], [0, -1]];
    private static readonly double[][] OldRows = [[0.8, 0.6], [0.6, -0.8], [-0.6, -0.8]];

    private static double Reference(double tau, bool newToNew)
    {
        double total = 0;
        for (int i = 0; i < Labels.Length; i++)
        {
            var terms = new List<double> { Cos(NewRows[i], OldRows[i]) / tau };
            for (int k = 0; k < Labels.Length; k++)
            {
                if (Labels[k] != Labels[i])
                {
                    terms.Add(Cos(NewRows[i], OldRows[k]) / tau);
                    if (newToNew)
                    {
                        terms.Add(Cos(NewRows[i], NewRows[k]) / tau);
                    }
                }
            }

            total += LogSumExp(terms.ToArray()) - terms[0];
        }

        return total / Labels.Length;
    }

    private static double Run(string name, Dictionary<string, object>? options = null, double newScale = 3, double oldScale = 2)
    {
        Tensor newEmbeddings = Rows(NewRows.Select(r => r.Select(x => (float)(x * newScale)).ToArray()).ToArray());
        Tensor oldEmbeddings = Rows(OldRows.Select(r => r.Select(x => (float)(x * oldScale)).ToArray()).ToArray());
        using var loss = LossPlugins.Create(name, options ?? []);
        loss.Prepare(ContextWithMeans(Rows([1, 0], [0, 1]), 2));
        Assert.True(loss.NeedsOldEmbeddings);
        return loss.Compute(Batches.Of([0, 0, 1], newEmbeddings, oldEmbeddings)).item<float>();
    }

    [Theory]
    [InlineData("contrastive", false)]
    [InlineData("hot-refresh", true)]
    public void DefaultTemperatureMatchesHandValue(string name, bool newToNew)
    {
        using var scope = NewDisposeScope();

        Assert.Equal(Reference(0.05, newToNew), Run(name), 4);
    }

    [Theory]
    [InlineData("contrastive", false)]
    [InlineData("hot-refresh", true)]
    public void TemperatureOptionIsUsed(string name, bool newToNew)
    {
        using var scope = NewDisposeScope();

        Assert.Equal(Reference(0.5, newToNew), Run(name, new() { ["Temperature"] = 0.5 }), 5);
    }

    [Theory]
    [InlineData("contrastive")]
    [InlineData("hot-refresh")]
    public void SameLabelSamplesAreNotNegatives(string name)
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create(name, new Dictionary<string, object>());
        loss.Prepare(ContextWithMeans(Rows([1, 0], [0, 1]), 2));

        // n = [1, 0], [0, 1], [-1, 0]; o = [1, 0], norm [1, 1], [0, 1]; labels 0, 0, 1 and tau 0.05. Sample 0's only
        // negative is sample 2 (cosine 0 to o2; n0.n2 = -1), sample 1's too (cosine 1; n1.n2 = 0); sample 2 has two.
        double value = loss.Compute(Batches.Of([0, 0, 1], Rows([1, 0], [0, 1], [-1, 0]), Rows([1, 0], [1, 1], [0, 1]))).item<float>();

        double tau = 0.05;
        double r = Math.Sqrt(0.5);
        bool hot = name == "hot-refresh";
        double[][] terms =
        [
            hot ? [1 / tau, 0, -1 / tau] : [1 / tau, 0],
            hot ? [r / tau, 1 / tau, 0] : [r / tau, 1 / tau],
            hot ? [0, -1 / tau, -r / tau, -1 / tau, 0] : [0, -1 / tau, -r / tau],
        ];
        Assert.Equal(terms.Average(t => LogSumExp(t) - t[0]), value, 4);
    }
}
