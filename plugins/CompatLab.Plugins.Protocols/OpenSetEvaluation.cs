using CompatLab.Engine.Configuration;
using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Models;
using CompatLab.Engine.Runs;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// An old and a new model on an open-set query set against its own gallery: old self, new self and new-to-old
/// cross-test. A gallery above evaluation.streamAbove images is embedded into files in the run folder and ranked
/// by streaming (<see cref="StreamedRetrievalEvaluator"/>: mAP@k and Recall@k exact, full mAP not available, so
/// ECC compares mAP@k there); otherwise every embedding is held and ranked as by the other protocols.
/// </summary>
internal static class OpenSetEvaluation
{
    /// <summary>Folder under the run folder holding streamed gallery embeddings.</summary>
    public const string EmbeddingFolder = "gallery-embeddings";

    public static RunResult Evaluate(RunSession session, RetrievalModel oldModel, RetrievalModel newModel, OpenSetData data)
    {
        var (experiment, spec, device, log) = (session.Experiment, session.Spec, session.Device, session.Log);
        long streamAbove = spec.Evaluation.StreamAbove ?? EvaluationSpec.DefaultStreamAbove;
        bool streamed = data.Gallery.Count > streamAbove;
        log.Info($"{experiment.Label}: open-set evaluation on {data.Origin}" + (streamed ? $"; the gallery is above evaluation.streamAbove ({streamAbove}), so it is ranked by streaming (full mAP not available)" : string.Empty));
        using var oldQueries = oldModel.EmbedAll(data.Query, device);
        using var newQueries = newModel.EmbedAll(data.Query, device);
        var labels = data.Query.Labels;
        RetrievalMetrics oldSelf, newSelf, cross;
        if (streamed)
        {
            var evaluator = new StreamedRetrievalEvaluator(RetrievalReport.EvaluatorOptions(spec));
            var oldGallery = GalleryFile(session, oldModel, data, "old");
            var newGallery = GalleryFile(session, newModel, data, "new");
            oldSelf = evaluator.Evaluate(oldQueries, labels, oldGallery, data.SameImages);
            newSelf = evaluator.Evaluate(newQueries, labels, newGallery, data.SameImages);
            cross = evaluator.Evaluate(newQueries, labels, oldGallery, data.SameImages);
        }
        else
        {
            var evaluator = RetrievalReport.Evaluator(spec);
            using var oldGallery = oldModel.EmbedAll(data.Gallery, device);
            using var newGallery = newModel.EmbedAll(data.Gallery, device);
            var galleryLabels = data.Gallery.Labels;
            oldSelf = evaluator.Evaluate(oldQueries, labels, oldGallery, galleryLabels, data.SameImages);
            newSelf = evaluator.Evaluate(newQueries, labels, newGallery, galleryLabels, data.SameImages);
            cross = evaluator.Evaluate(newQueries, labels, oldGallery, galleryLabels, data.SameImages);
        }

        var result = Report(session, oldSelf, newSelf, cross);
        var tests = new[] { ("old self", oldSelf), ("new self", newSelf), ("cross", cross) }
            .Select(t => new OpenSetTest(t.Item1, t.Item2.Map, t.Item2.MapAtK, t.Item2.K, t.Item2.RecallAtK)).ToList();
        return result with { OpenSet = new OpenSetScores(data.Query.Count, data.Gallery.Count, streamed, tests) };
    }

    private static EmbeddingChunkReader GalleryFile(RunSession session, RetrievalModel model, OpenSetData data, string name)
    {
        string folder = Path.Combine(session.RunFolder, EmbeddingFolder);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name + ".clembed");
        SetEmbedder.EmbedToFile(model, data.Gallery, session.Device, path, session.Spec.Evaluation.GalleryHalf ?? false);
        return EmbeddingChunkReader.Open(path);
    }

    private static RunResult Report(RunSession session, RetrievalMetrics oldSelf, RetrievalMetrics newSelf, RetrievalMetrics cross)
    {
        var (experiment, spec, log) = (session.Experiment, session.Spec, session.Log);
        bool fullMap = !double.IsNaN(oldSelf.Map) && !double.IsNaN(cross.Map);
        var metrics = RetrievalReport.Metrics(("old_self", oldSelf), ("new_self", newSelf), ("cross", cross));

        // A streamed run has no full mAP: its NaN is left out of the trackers rather than logged as a number.
        metrics.RemoveAll(m => double.IsNaN(m.Item2));
        metrics.Add(("eval.ecc", fullMap ? (cross.Map > oldSelf.Map ? 1 : 0) : (cross.MapAtK > oldSelf.MapAtK ? 1 : 0)));
        metrics.Add(("eval.open_set.queries_without_relevant", cross.QueriesWithoutRelevant));
        log.Metrics(metrics, 0);
        if (cross.QueriesWithoutRelevant > 0)
        {
            log.Warn($"{cross.QueriesWithoutRelevant} of {cross.QueryCount} queries have no image of their class in the gallery; they are left out of the means");
        }

        return new RunResult(
            experiment.Label, experiment.Method, spec.Seed, experiment.RunFolder,
            RetrievalReport.Scores(oldSelf), RetrievalReport.Scores(newSelf), RetrievalReport.Scores(cross));
    }
}
