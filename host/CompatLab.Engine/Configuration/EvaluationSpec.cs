using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class EvaluationSpec
{
    [Description("Queries per chunk; bounds memory to chunk x gallery similarities.")]
    public int ChunkSize { get; set; } = 1024;

    [Description("k of mAP@k.")]
    public int MapAtK { get; set; } = 100;

    [Description("The k values of Recall@k.")]
    public List<int> RecallAtK { get; set; } = new() { 1 };
}
