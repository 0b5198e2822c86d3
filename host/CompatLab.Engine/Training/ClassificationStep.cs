using System.Reflection;
using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Models;
using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>
/// The ordinary step: cross-entropy of the classifier on the embeddings, plus lambda times the compatibility loss
/// when the stage has one (the new model of a BCL run), one backward, one optimiser step.
/// </summary>
public sealed class ClassificationStep : ITrainingStep
{
    private readonly RetrievalModel model;
    private readonly CompatibilityTerm? compatibility;
    private readonly Tensor lossSums;
    private readonly NonFiniteWatch watch;

    public ClassificationStep(RetrievalModel model, CompatibilityTerm? compatibility, Device device)
    {
        this.model = model;
        this.compatibility = compatibility;
        lossSums = zeros(3, dtype: ScalarType.Float64, device: device);
        var terms = new List<(string, string)> { ("loss_cls", "the classifier's cross-entropy") };
        if (compatibility is not null)
        {
            terms.Add(("loss_comp", $"loss plugin '{PluginName(compatibility.Loss)}'"));
        }

        watch = new NonFiniteWatch(terms, device);
    }

    public void Run(optim.Optimizer optimizer, TrainingBatch batch)
    {
        var embeddings = model.forward(batch.Images);
        var logits = model.Classifier.forward(embeddings);
        var classification = nn.functional.cross_entropy(logits, batch.Targets);
        var total = classification;
        Tensor? comp = null;
        if (compatibility is not null)
        {
            var old = compatibility.Loss.NeedsOldEmbeddings ? compatibility.OldModel.Embed(batch.Images) : null;
            comp = compatibility.Loss.Compute(new CompatibilityBatch(batch.Labels, embeddings, old, batch.Step, batch.Epoch) { NewClassifierWeight = model.Classifier.Weight });
            total = classification + (comp * compatibility.Lambda);
        }

        // Checked before the optimiser step: a non-finite loss must not reach the weights' history unnoticed.
        var terms = comp is null ? classification.detach().reshape(1) : stack(new[] { classification.detach(), comp.detach() });
        watch.Observe(terms, batch.Step + 1);

        optimizer.zero_grad();
        total.backward();
        optimizer.step();

        using (no_grad())
        {
            lossSums[0].add_(total.detach().to(ScalarType.Float64));
            lossSums[1].add_(classification.detach().to(ScalarType.Float64));
            if (comp is not null)
            {
                lossSums[2].add_(comp.detach().to(ScalarType.Float64));
            }
        }
    }

    public NonFiniteStep? FirstNonFinite() => watch.Read();

    public IReadOnlyList<(string Name, double Value)> TakeMetrics(long steps)
    {
        var sums = lossSums.cpu().data<double>().ToArray();
        lossSums.zero_();
        double per = Math.Max(1, steps);
        var values = new List<(string, double)> { ("loss", sums[0] / per), ("loss_cls", sums[1] / per) };
        if (compatibility is not null)
        {
            values.Add(("loss_comp", sums[2] / per));
        }

        return values;
    }

    public void OnEpochStart(int epoch) => compatibility?.Loss.OnEpochStart(epoch);

    public void OnStepEnd(CompatibilityStepInfo info) => compatibility?.Loss.OnStepEnd(info);

    /// <summary>The loss plugin's state and the logging window's running loss sums.</summary>
    public IReadOnlyDictionary<string, Tensor> SaveState() =>
        LogWindowState.WithSums(compatibility?.Loss.SaveState() ?? new Dictionary<string, Tensor>(), lossSums);

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        LogWindowState.RestoreSums(state, lossSums);
        compatibility?.Loss.LoadState(LogWindowState.WithoutTrainerEntries(state));
    }

    public void Dispose()
    {
        lossSums.Dispose();
        watch.Dispose();
    }

    private static string PluginName(ICompatibilityLoss loss) =>
        loss.GetType().GetCustomAttribute<CompatLabPluginAttribute>()?.Name ?? loss.GetType().Name;
}
