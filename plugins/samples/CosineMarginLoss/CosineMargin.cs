using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Losses;
using CompatLab.Sdk.Options;
using static TorchSharp.torch;

namespace CosineMarginLoss;

public sealed class CosineMarginOptions : IValidatableOptions
{
    public double Margin { get; set; } = 0.5;

    public IEnumerable<string> Validate() => OptionChecks.Problems(OptionChecks.NonNegativeFinite("margin", Margin));
}

[CompatLabPlugin(PluginKind.CompatibilityLoss, "cosine-margin", Description = "Mean over the batch of max(0, m - cos(new_i, old_i)).", Options = typeof(CosineMarginOptions))]
public sealed class CosineMargin(CosineMarginOptions options) : CompatibilityLoss("cosine-margin", options)
{
    protected override Tensor Loss(CompatibilityBatch batch) => nn.functional.relu(options.Margin - PairedCosines(batch)).mean();
}
