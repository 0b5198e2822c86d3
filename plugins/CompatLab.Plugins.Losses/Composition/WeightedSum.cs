using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;
using CompatLab.Sdk.State;
using CompatLab.Sdk.Telemetry;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Composition;

/// <summary>
/// L_comp = sum_k w_k * L_k over other loss plugins, made through the host's loss factory. Each term is prepared,
/// hooked and checkpointed as if it were alone; its state lives under <c>{k}-{type}/</c> and its value is reported as
/// <c>sum/{k}-{type}</c>.
/// </summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    PluginName,
    Description = "Weighted sum of other losses: sum_k weight_k * L_k; terms [{ type, weight, options }]. Reports each term as sum/<k>-<type>.",
    Options = typeof(SumOptions))]
public sealed class WeightedSum : ICompatibilityLoss
{
    public const string PluginName = "sum";
    private readonly List<(ICompatibilityLoss Loss, double Weight, string Label)> terms = new();
    private readonly TermValues values;
    private readonly StateSnapshots snapshots = new();
    private PluginTelemetry telemetry = PluginTelemetry.None(PluginName);

    public WeightedSum(SumOptions options, ICompatibilityLossFactory losses)
    {
        OptionsGuard.Checked(options, "loss", PluginName);
        values = new TermValues(options.Terms.Select((term, k) => $"{k}-{term.Type}").ToList(), options.ReportEvery);
        try
        {
            for (int k = 0; k < options.Terms.Count; k++)
            {
                LossTerm term = options.Terms[k];
                ICompatibilityLoss loss = losses.Create(term.Type, term.Options, $"loss '{PluginName}': terms[{k}]");
                terms.Add((loss, term.Weight, values.Labels[k]));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool NeedsOldEmbeddings => terms.Any(t => t.Loss.NeedsOldEmbeddings);

    public void Prepare(CompatibilityContext context)
    {
        telemetry = new PluginTelemetry(context.Telemetry, PluginName);
        values.Prepare(context.Device);
        foreach (var (loss, _, label) in terms)
        {
            loss.Prepare(new CompatibilityContext(
                context.OldModel, context.ClassCount, context.NewEmbeddingDim, context.Device, context.Seed, telemetry.Child(label), context.OldClassMeans));
        }
    }

    public Tensor Compute(CompatibilityBatch batch)
    {
        using var scope = NewDisposeScope();
        var computed = terms.Select(t => t.Loss.Compute(batch)).ToList();
        Tensor total = computed[0].mul(terms[0].Weight);
        for (int k = 1; k < computed.Count; k++)
        {
            total = total.add(computed[k].mul(terms[k].Weight));
        }

        values.Add(stack(computed.Select(c => c.detach().to(ScalarType.Float32)).ToList()));
        return total.MoveToOuterDisposeScope();
    }

    public void OnEpochStart(int epoch) => terms.ForEach(t => t.Loss.OnEpochStart(epoch));

    public void OnStepEnd(CompatibilityStepInfo step)
    {
        terms.ForEach(t => t.Loss.OnStepEnd(step));
        values.ReportIfDue(telemetry, step.Step, step.TotalSteps);
    }

    /// <summary>Each term's state under <c>{k}-{type}/</c> (owned by the term), and the sum's own running values.</summary>
    public IReadOnlyDictionary<string, Tensor> SaveState()
    {
        var own = new Dictionary<string, Tensor>();
        values.SaveTo(own);
        return terms.SelectMany(t => t.Loss.SaveState().Select(kv => (Key: $"{t.Label}/{kv.Key}", kv.Value)))
            .Concat(snapshots.Keep(own).Select(kv => (kv.Key, kv.Value)))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        values.LoadFrom(state);
        foreach (var (loss, _, label) in terms)
        {
            string prefix = label + "/";
            loss.LoadState(state.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value));
        }
    }

    public void Dispose()
    {
        terms.ForEach(t => t.Loss.Dispose());
        terms.Clear();
        values.Dispose();
        snapshots.Dispose();
    }
}
