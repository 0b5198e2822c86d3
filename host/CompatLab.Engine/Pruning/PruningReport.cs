using System.Globalization;
using System.Text;
using System.Text.Json;
using CompatLab.Engine.Tracking;

namespace CompatLab.Engine.Pruning;

/// <summary>What `compatlab prune` writes about a grid: the same rows as a Markdown table, CSV and JSON.</summary>
public sealed record PruningReport(
    string RunFolder,
    string Criterion,
    string Scope,
    int RecalibrationBatches,
    int Seed,
    CapacityGridResult Grid)
{
    public string Json() => JsonSerializer.Serialize(this, JsonFormats.Indented);

    public string Markdown()
    {
        int k = Grid.DenseSelf.K;
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Pruning `{Criterion}`, {Scope} scope, BatchNorm {(RecalibrationBatches > 0 ? $"recalibrated on {RecalibrationBatches} batches" : "not recalibrated")}; dense self-test mAP {F(Grid.DenseSelf.Map)}."));
        text.AppendLine();
        text.AppendLine(Invariant($"| capacity | weights kept | kept fraction | parameters kept | sub self mAP | sub self mAP@{k} | sub self R@1 | sub-to-dense mAP | sub-to-dense mAP@{k} | sub-to-dense R@1 |"));
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in Grid.Capacities)
        {
            text.AppendLine(Invariant(
                $"| {c.Capacity:0.###} | {c.KeptWeights} / {c.MaskedLayerWeights} | {F(c.KeptFraction)} | {c.KeptParameters} / {c.NetworkParameters} | {F(c.SubSelf.Map)} | {F(c.SubSelf.MapAtK)} | {F(c.SubSelf.RecallAt1)} | {F(c.SubToDense.Map)} | {F(c.SubToDense.MapAtK)} | {F(c.SubToDense.RecallAt1)} |"));
        }

        return text.ToString();
    }

    public string Csv()
    {
        var text = new StringBuilder();
        text.AppendLine("capacity,criterion,scope,recalibration_batches,kept_weights,masked_layer_weights,kept_fraction,kept_parameters,network_parameters,sub_self_map,sub_self_map_at_k,sub_self_recall_at_1,sub_to_dense_map,sub_to_dense_map_at_k,sub_to_dense_recall_at_1,dense_self_map,k");
        foreach (var c in Grid.Capacities)
        {
            text.AppendLine(Invariant(
                $"{c.Capacity:R},{Criterion},{Scope},{c.RecalibrationBatches},{c.KeptWeights},{c.MaskedLayerWeights},{c.KeptFraction:R},{c.KeptParameters},{c.NetworkParameters},{c.SubSelf.Map:R},{c.SubSelf.MapAtK:R},{c.SubSelf.RecallAt1:R},{c.SubToDense.Map:R},{c.SubToDense.MapAtK:R},{c.SubToDense.RecallAt1:R},{Grid.DenseSelf.Map:R},{c.SubSelf.K}"));
        }

        return text.ToString();
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
