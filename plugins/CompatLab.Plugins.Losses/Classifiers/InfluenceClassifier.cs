using CompatLab.Abstractions.Losses;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Classifiers;

/// <summary>
/// Builds BCT's influence classifier over all classes of the new training set: the old model's trained rows for the
/// classes it knows, and for new classes a synthesised column, the class's mean old embedding with bias 0.
/// </summary>
public static class InfluenceClassifier
{
    public const string NormRatioKey = "bct/synthesised-norm-ratio";

    /// <param name="rescaleSynthesised">Scale synthesised columns to the mean norm of the trained rows.</param>
    public static IFrozenClassifier Build(CompatibilityContext context, bool rescaleSynthesised)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        IOldModel old = context.OldModel;
        Tensor means = context.OldClassMeans().detach().to(ScalarType.Float32, context.Device);
        Tensor trained = old.ClassifierWeight.detach().to(ScalarType.Float32, context.Device);
        Tensor? trainedBias = old.ClassifierBias?.detach().to(ScalarType.Float32, context.Device);
        Tensor rows = OldClassifierRows.Of(old, context.ClassCount, trained, trainedBias, means).to(context.Device);

        Tensor weight = means.clone().index_copy_(0, rows, trained);
        Tensor synthesised = ones(context.ClassCount, dtype: ScalarType.Bool, device: context.Device)
            .index_fill_(0, rows, false).unsqueeze(1);
        if (rows.shape[0] > 0 && rows.shape[0] < context.ClassCount)
        {
            // Raw class means are several times longer than trained rows, which lets new-class logits dominate.
            Tensor trainedNorm = trained.norm(dim: 1).mean();
            Tensor synthesisedNorm = means.norm(dim: 1).masked_select(synthesised.squeeze(1)).mean();
            context.Telemetry.Report(NormRatioKey, synthesisedNorm.div(trainedNorm).item<float>(), 0);
            if (rescaleSynthesised)
            {
                Tensor rescaled = nn.functional.normalize(weight, p: 2, dim: 1).mul(trainedNorm);
                weight = where(synthesised, rescaled, weight);
            }
        }

        if (old.CosineClassifier)
        {
            return new PrototypeClassifier(weight, old.ClassifierScale);
        }

        Tensor? bias = trainedBias is null ? null : zeros(context.ClassCount, device: context.Device).index_copy_(0, rows, trainedBias);
        return new LinearClassifier(weight, bias);
    }
}
