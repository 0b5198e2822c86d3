using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class EvaluationSpec : IValidatedSpec
{
    [Description("Queries per chunk; bounds memory to chunk x gallery similarities.")]
    public int ChunkSize { get; set; } = 1024;

    [Description("k of mAP@k.")]
    public int MapAtK { get; set; } = 100;

    [Description("The k values of Recall@k.")]
    public List<int> RecallAtK { get; set; } = new() { 1 };

    // Optional (null unless given) so that experiments which do not set them keep their content hash.
    [Description("open-set: a gallery of more images than this is embedded to a file in chunks and ranked by streaming (mAP@k and Recall@k exact, full mAP not available); default 200000.")]
    [OptionalSection]
    public long? StreamAbove { get; set; }

    [Description("open-set: store streamed gallery embeddings as float16 (half the disk) instead of float32; default false.")]
    [OptionalSection]
    public bool? GalleryHalf { get; set; }

    /// <summary>The gallery size above which evaluation streams when <see cref="StreamAbove"/> is not set.</summary>
    public const long DefaultStreamAbove = 200_000;

    public void Validate(SpecProblems problems)
    {
        problems.Require(ChunkSize > 0, "chunkSize", "expected a positive number of queries");
        problems.Require(MapAtK > 0, "mapAtK", "expected a positive k");
        problems.Require(RecallAtK.Count > 0 && RecallAtK.All(k => k > 0), "recallAtK", "expected a non-empty list of positive k");
    }
}
