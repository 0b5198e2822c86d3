using System.ComponentModel;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using static TorchSharp.torch;

namespace MyLoss;

/// <summary>The plugin's options: bound from the "options" section of the loss in an experiment file (camelCase keys).</summary>
public sealed class MyLossOptions : IValidatableOptions
{
    [Description("Cosine similarity between a new and an old embedding below which the pair is pulled together.")]
    public double Margin { get; set; } = 0.9;

    // Each problem is one sentence naming the option, so the user finds the key in their file.
    public IEnumerable<string> Validate()
    {
        if (!(Margin >= -1 && Margin <= 1))
        {
            yield return $"Option 'margin' must lie between -1 and 1; got {Margin}.";
        }
    }
}

/// <summary>
/// A compatibility loss: the host adds lambda times this value to the new model's classification loss.
/// This one pulls each new embedding towards the old model's embedding of the same image until their cosine
/// similarity reaches the margin.
/// </summary>
[CompatLabPlugin(PluginKind.CompatibilityLoss, "my-loss", Description = "Hinge on the cosine between new and old embeddings.", Options = typeof(MyLossOptions))]
public sealed class MyLoss : ICompatibilityLoss
{
    private readonly double margin;

    public MyLoss(MyLossOptions options)
    {
        // The host validates too; checking here also refuses bad values when the plugin is built by hand (tests).
        if (options.Validate().FirstOrDefault() is { } problem)
        {
            throw new CompatLabUserException($"loss 'my-loss': {problem}");
        }

        margin = options.Margin;
    }

    // True: the host computes the frozen old model's embedding of every batch and passes it in the batch.
    public bool NeedsOldEmbeddings => true;

    // Called once before training with the frozen old model, class means, device and seed; nothing to prepare here.
    public void Prepare(CompatibilityContext context)
    {
    }

    public Tensor Compute(CompatibilityBatch batch)
    {
        // Intermediate tensors die with this scope; only the returned scalar moves out to the caller's scope.
        using var scope = NewDisposeScope();
        var similarity = nn.functional.cosine_similarity(batch.NewEmbeddings, batch.OldEmbeddings!, dim: 1);
        return nn.functional.relu(margin - similarity).mean().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
    }
}
