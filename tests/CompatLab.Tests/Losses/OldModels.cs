using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using Moq;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>Mocked frozen old models and contexts built from small hand-written matrices.</summary>
internal static class OldModels
{
    public static Tensor Rows(params float[][] rows) =>
        torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    public static Mock<IOldModel> Linear(Tensor weight, Tensor? bias, params int[] classes) =>
        Mock(weight, bias, classes, cosine: false, scale: 1);

    public static Mock<IOldModel> Cosine(Tensor weight, double scale, params int[] classes) =>
        Mock(weight, null, classes, cosine: true, scale);

    /// <summary>A context over <paramref name="classMeans"/> [classes, d_old]; the new width is given separately.</summary>
    public static CompatibilityContext Context(IOldModel old, Tensor classMeans, long newWidth, ITelemetrySink? telemetry = null) =>
        new(old, (int)classMeans.shape[0], newWidth, CPU, seed: 1, telemetry ?? NullTelemetrySink.Instance, () => classMeans);

    /// <summary>An old model that only has class means (enough for prototype losses).</summary>
    public static CompatibilityContext ContextWithMeans(Tensor classMeans, long newWidth, ITelemetrySink? telemetry = null)
    {
        long width = classMeans.shape[1];
        Mock<IOldModel> old = Linear(zeros(classMeans.shape[0], width), null, Enumerable.Range(0, (int)classMeans.shape[0]).ToArray());
        return Context(old.Object, classMeans, newWidth, telemetry);
    }

    private static Mock<IOldModel> Mock(Tensor weight, Tensor? bias, int[] classes, bool cosine, double scale)
    {
        var old = new Mock<IOldModel>(MockBehavior.Strict);
        old.SetupGet(m => m.EmbeddingDim).Returns(weight.shape[1]);
        old.SetupGet(m => m.ClassifierWeight).Returns(weight);
        old.SetupGet(m => m.ClassifierBias).Returns(bias);
        old.SetupGet(m => m.ClassifierClasses).Returns(classes);
        old.SetupGet(m => m.CosineClassifier).Returns(cosine);
        old.SetupGet(m => m.ClassifierScale).Returns(scale);
        return old;
    }
}
