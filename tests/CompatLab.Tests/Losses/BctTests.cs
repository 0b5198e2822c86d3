using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using Moq;
using Xunit;
using static CompatLab.Tests.Losses.HandMath;
using static CompatLab.Tests.Losses.OldModels;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>
/// Three classes in 2-d; the old model knows classes 0 and 1 with rows w0 = [1, 0], w1 = [0, 2] (mean norm 1.5) and
/// bias [0.5, -0.5]. Class 2 is new; its old class mean is [3, 4] (norm 5), so its synthesised column is [3, 4] raw
/// or [3, 4] / 5 * 1.5 = [0.9, 1.2] rescaled.
/// </summary>
public class BctTests
{
    private static readonly double[][] Embeddings = [[1, 2], [-1, 0.5], [0.5, -1]];
    private static readonly int[] Labels = [2, 0, 1];

    private static Tensor OldWeight() => Rows([1, 0], [0, 2]);

    private static Tensor OldBias() => tensor(new float[] { 0.5f, -0.5f });

    private static Tensor ClassMeans() => Rows([2, 1], [1, 3], [3, 4]);

    private static Tensor NewEmbeddings() =>
        Rows(Embeddings.Select(r => r.Select(x => (float)x).ToArray()).ToArray()).requires_grad_();

    private static CompatibilityBatch Batch(Tensor embeddings) =>
        new(tensor(Labels.Select(l => (long)l).ToArray()), embeddings, null, Step: 0, Epoch: 0);

    private static double Run(CompatibilityContext context, bool rescale = true)
    {
        using var loss = LossPlugins.Create("bct", new Dictionary<string, object> { ["RescaleSynthesised"] = rescale });
        loss.Prepare(context);
        Assert.False(loss.NeedsOldEmbeddings);
        return loss.Compute(Batch(NewEmbeddings())).item<float>();
    }

    [Fact]
    public void RescaledSynthesisedColumnMatchesHandValue()
    {
        using var scope = NewDisposeScope();
        double[][] logits =
        [
            [(1 * 1) + (2 * 0) + 0.5, (1 * 0) + (2 * 2) - 0.5, (1 * 0.9) + (2 * 1.2)],
            [(-1 * 1) + (0.5 * 0) + 0.5, (-1 * 0) + (0.5 * 2) - 0.5, (-1 * 0.9) + (0.5 * 1.2)],
            [(0.5 * 1) + (-1 * 0) + 0.5, (0.5 * 0) + (-1 * 2) - 0.5, (0.5 * 0.9) + (-1 * 1.2)],
        ];
        var telemetry = new Mock<ITelemetrySink>();

        double value = Run(Context(Linear(OldWeight(), OldBias(), 0, 1).Object, ClassMeans(), 2, telemetry.Object));

        Assert.Equal(CrossEntropy(logits, Labels), value, 5);
        telemetry.Verify(t => t.Report("bct/synthesised-norm-ratio", It.Is<double>(r => Math.Abs(r - (5 / 1.5)) < 1e-5), 0));
    }

    [Fact]
    public void RawSynthesisedColumnMatchesHandValue()
    {
        using var scope = NewDisposeScope();
        double[][] logits =
        [
            [(1 * 1) + 0.5, (2 * 2) - 0.5, (1 * 3) + (2 * 4)],
            [(-1 * 1) + 0.5, (0.5 * 2) - 0.5, (-1 * 3) + (0.5 * 4)],
            [(0.5 * 1) + 0.5, (-1 * 2) - 0.5, (0.5 * 3) + (-1 * 4)],
        ];

        double value = Run(Context(Linear(OldWeight(), OldBias(), 0, 1).Object, ClassMeans(), 2), rescale: false);

        Assert.Equal(CrossEntropy(logits, Labels), value, 5);
    }

    [Fact]
    public void RowsGoToTheClassesTheOldModelNames()
    {
        using var scope = NewDisposeScope();

        // Row 0 is class 2 and row 1 is class 0; class 1 (mean [1, 3], norm sqrt 10) is synthesised.
        double toTrainedNorm = 1.5 / Math.Sqrt(10);
        double[][] logits =
        [
            [(2 * 2) - 0.5, ((1 * 1) + (2 * 3)) * toTrainedNorm, (1 * 1) + 0.5],
            [(0.5 * 2) - 0.5, ((-1 * 1) + (0.5 * 3)) * toTrainedNorm, (-1 * 1) + 0.5],
            [(-1 * 2) - 0.5, ((0.5 * 1) + (-1 * 3)) * toTrainedNorm, (0.5 * 1) + 0.5],
        ];

        double value = Run(Context(Linear(OldWeight(), OldBias(), 2, 0).Object, ClassMeans(), 2));

        Assert.Equal(CrossEntropy(logits, Labels), value, 5);
    }

    [Fact]
    public void CosineOldClassifierUsesScaledCosines()
    {
        using var scope = NewDisposeScope();
        double[][] columns = [[1, 0], [0, 2], [3, 4]];
        double[][] logits = Embeddings.Select(e => columns.Select(w => 10 * Cos(e, w)).ToArray()).ToArray();

        foreach (bool rescale in new[] { true, false })
        {
            double value = Run(Context(Cosine(OldWeight(), 10, 0, 1).Object, ClassMeans(), 2), rescale);
            Assert.Equal(CrossEntropy(logits, Labels), value, 5);
        }
    }

    [Fact]
    public void GradientReachesOnlyTheNewEmbeddings()
    {
        using var scope = NewDisposeScope();
        Tensor weight = OldWeight();
        Tensor bias = OldBias();
        Tensor means = ClassMeans();
        Tensor[] originals = [weight.clone(), bias.clone(), means.clone()];
        Tensor embeddings = NewEmbeddings();
        using var loss = LossPlugins.Create("bct", new Dictionary<string, object>());
        loss.Prepare(Context(Linear(weight, bias, 0, 1).Object, means, 2));

        loss.Compute(Batch(embeddings)).backward();

        // d CE / d e_i = (softmax(l_i) - onehot(y_i)) W / N, with W the full 3-column classifier.
        double[][] columns = [[1, 0], [0, 2], [0.9, 1.2]];
        double[] bias3 = [0.5, -0.5, 0];
        float[] grad = embeddings.grad!.data<float>().ToArray();
        for (int i = 0; i < Embeddings.Length; i++)
        {
            double[] l = columns.Select((w, c) => (w[0] * Embeddings[i][0]) + (w[1] * Embeddings[i][1]) + bias3[c]).ToArray();
            double[] p = Softmax(l);
            p[Labels[i]] -= 1;
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(p.Select((pc, c) => pc * columns[c][k]).Sum() / 3, grad[(i * 2) + k], 5);
            }
        }

        Tensor[] given = [weight, bias, means];
        for (int t = 0; t < given.Length; t++)
        {
            Assert.False(given[t].requires_grad);
            Assert.Null(given[t].grad);
            Assert.Equal(originals[t].data<float>().ToArray(), given[t].data<float>().ToArray());
        }
    }

    [Fact]
    public void OldClassifierNamingAClassOutsideTheTrainingSetIsAUserError()
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create("bct", new Dictionary<string, object>());

        var error = Assert.Throws<CompatLabUserException>(
            () => loss.Prepare(Context(Linear(OldWeight(), OldBias(), 0, 5).Object, ClassMeans(), 2)));

        Assert.Contains("class 5", error.Message);
    }

    [Fact]
    public void ComputeNeedsPrepareAndStopsAfterDispose()
    {
        using var scope = NewDisposeScope();
        var loss = LossPlugins.Create("bct", new Dictionary<string, object>());
        Assert.Throws<InvalidOperationException>(() => loss.Compute(Batch(NewEmbeddings())));

        loss.Prepare(Context(Linear(OldWeight(), OldBias(), 0, 1).Object, ClassMeans(), 2));
        loss.Dispose();

        Assert.Throws<InvalidOperationException>(() => loss.Compute(Batch(NewEmbeddings())));
    }

    [Fact]
    public void RescalingIsOnByDefault()
    {
        object options = LossPlugins.NewOptions("bct");
        Assert.True((bool)options.GetType().GetProperty("RescaleSynthesised")!.GetValue(options)!);
    }
}
