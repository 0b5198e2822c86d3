using CompatLab.Engine.Configuration;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Training;

namespace CompatLab.Engine.Runs;

/// <summary>The value ranges of an experiment's own settings (plugins check their options themselves); every problem is added to the binder.</summary>
internal static class ExperimentRanges
{
    public static void Check(ExperimentSpec spec, ConfigBinder binder)
    {
        void Require(bool ok, string key, string message)
        {
            if (!ok)
            {
                binder.AddProblem(key, message);
            }
        }

        void OneOf(string value, IReadOnlyList<string> allowed, string key) =>
            Require(allowed.Contains(value), key, $"expected one of {string.Join(", ", allowed)}, got \"{value}\"" + NameSuggester.Hint(value, allowed));

        Require(spec.Device == "cpu" || spec.Device == "cuda" || spec.Device.StartsWith("cuda:", StringComparison.Ordinal), "device", $"expected cpu, cuda or cuda:N, got \"{spec.Device}\"");
        RuntimeChecks.Check(spec, binder);

        Require(spec.Data.Loader is not { Prefetch: < 0 }, "data:loader:prefetch", "expected 0 (load inline) or a positive number of batches");
        Require(spec.Threads >= 0, "threads", "expected 0 (this process's share of the cores) or a positive number of threads");
        Require(!string.IsNullOrWhiteSpace(spec.Name) && spec.Name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && !spec.Name.Contains('/'), "name", "expected a name usable as a folder name");
        Require(spec.Data.Split.OldClassFraction is > 0 and < 1, "data:split:oldClassFraction", "expected a fraction strictly between 0 and 1");
        Require(spec.Data.Split.OldDataFraction is > 0 and <= 1, "data:split:oldDataFraction", "expected a fraction in (0, 1]");
        Require(spec.Model.EmbeddingDim > 0, "model:embeddingDim", "expected a positive width");
        OneOf(spec.Model.Classifier.Type, new[] { "linear", "cosine" }, "model:classifier:type");
        Require(spec.Model.Classifier.Scale > 0, "model:classifier:scale", "expected a positive scale");
        CheckTraining(spec.Old.Training, "old:training", Require, OneOf);
        CheckTraining(spec.New.Training, "new:training", Require, OneOf);
        Require(double.IsFinite(spec.New.Lambda) && spec.New.Lambda >= 0, "new:lambda", "expected a non-negative number");
        if (spec.Prunnet is null)
        {
            Require(!string.IsNullOrWhiteSpace(spec.New.Loss.Type), "new:loss:type", "a value is required here, and none was given");
        }
        else
        {
            Require(string.IsNullOrWhiteSpace(spec.New.Loss.Type), "new:loss:type", $"a prunnet run trains one network with no compatibility loss; remove new.loss (or set its type to \"\"), got \"{spec.New.Loss.Type}\"");
            CheckPrunNet(spec.Prunnet, binder);
        }

        Require(spec.Evaluation.ChunkSize > 0, "evaluation:chunkSize", "expected a positive number of queries");
        Require(spec.Evaluation.MapAtK > 0, "evaluation:mapAtK", "expected a positive k");
        Require(spec.Evaluation.RecallAtK.Count > 0 && spec.Evaluation.RecallAtK.All(k => k > 0), "evaluation:recallAtK", "expected a non-empty list of positive k");
        Require(spec.Checkpoints.EverySteps > 0, "checkpoints:everySteps", "expected a positive number of steps");
        Require(spec.Checkpoints.Keep > 0, "checkpoints:keep", "expected to keep at least one checkpoint");
    }

    /// <summary>Checks the capacities and sorts them largest first, so the dense network is task 0 and equal lists hash alike.</summary>
    private static void CheckPrunNet(PrunNetSpec prunNet, ConfigBinder binder)
    {
        var capacities = prunNet.Capacities;
        bool valid = true;
        for (int i = 0; i < capacities.Count; i++)
        {
            if (!double.IsFinite(capacities[i]) || capacities[i] <= 0 || capacities[i] > 1)
            {
                binder.AddProblem($"prunnet:capacities:{i}", $"expected a fraction of weights to keep in (0, 1], got {capacities[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                valid = false;
            }
        }

        foreach (var repeated in capacities.GroupBy(c => c).Where(g => g.Count() > 1))
        {
            binder.AddProblem("prunnet:capacities", $"capacity {repeated.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)} is listed {repeated.Count()} times; list each capacity once");
            valid = false;
        }

        if (!capacities.Contains(1.0))
        {
            binder.AddProblem("prunnet:capacities", $"expected the list to include 1.0 (the dense network, whose pass alone trains BatchNorm, projector and classifier), got [{string.Join(", ", capacities.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]");
            valid = false;
        }

        if (valid)
        {
            prunNet.Capacities = capacities.OrderByDescending(c => c).ToList();
        }

        if (!double.IsFinite(prunNet.GradClipNorm) || prunNet.GradClipNorm < 0)
        {
            binder.AddProblem("prunnet:gradClipNorm", $"expected 0 (no clipping) or a positive gradient norm, got {prunNet.GradClipNorm.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        if (prunNet.Evaluation is { } evaluation)
        {
            CheckPrunNetEvaluation(evaluation, binder);
        }
    }

    private static void CheckPrunNetEvaluation(PrunNetEvaluationSpec evaluation, ConfigBinder binder)
    {
        static string Text(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var capacities = evaluation.Capacities;
        if (capacities.Count == 0)
        {
            binder.AddProblem("prunnet:evaluation:capacities", "expected at least one capacity to evaluate, each in (0, 1]");
        }

        for (int i = 0; i < capacities.Count; i++)
        {
            if (!double.IsFinite(capacities[i]) || capacities[i] <= 0 || capacities[i] > 1)
            {
                binder.AddProblem($"prunnet:evaluation:capacities:{i}", $"expected a fraction of weights to keep in (0, 1], got {Text(capacities[i])}");
            }
        }

        foreach (var repeated in capacities.GroupBy(c => c).Where(g => g.Count() > 1))
        {
            binder.AddProblem("prunnet:evaluation:capacities", $"capacity {Text(repeated.Key)} is listed {repeated.Count()} times; list each capacity once");
        }

        if (evaluation.RecalibrationBatches < 0)
        {
            binder.AddProblem("prunnet:evaluation:recalibrationBatches", $"expected 0 (keep the dense BatchNorm statistics) or a positive number of training batches, got {evaluation.RecalibrationBatches}");
        }

        if (evaluation.Criteria.Count == 0)
        {
            binder.AddProblem("prunnet:evaluation:criteria", "expected at least one { \"criterion\": { \"type\": ... }, \"scope\": \"layer\" | \"global\" }");
        }

        var seen = new HashSet<(string, string)>();
        for (int i = 0; i < evaluation.Criteria.Count; i++)
        {
            var item = evaluation.Criteria[i];
            if (item.Scope is not ("layer" or "global"))
            {
                binder.AddProblem($"prunnet:evaluation:criteria:{i}:scope", $"expected one of layer, global, got \"{item.Scope}\"" + NameSuggester.Hint(item.Scope, new[] { "layer", "global" }));
            }
            else if (!seen.Add((item.Criterion.Type, item.Scope)))
            {
                binder.AddProblem($"prunnet:evaluation:criteria:{i}", $"{item.Criterion.Type} with {item.Scope} scope is listed twice; list each (criterion, scope) pair once");
            }
        }
    }

    private static void CheckTraining(TrainingSpec training, string key, Action<bool, string, string> require, Action<string, IReadOnlyList<string>, string> oneOf)
    {
        require(training.Epochs > 0, $"{key}:epochs", "expected at least one epoch");
        require(training.BatchSize >= 2, $"{key}:batchSize", "expected a batch of at least 2 images (BatchNorm needs two)");
        require(training.MaxSteps >= 0, $"{key}:maxSteps", "expected 0 (no limit) or a positive number of steps");
        require(training.LogEvery > 0, $"{key}:logEvery", "expected a positive number of steps");
        oneOf(training.Optimizer.Type, OptimizerFactory.Types, $"{key}:optimizer:type");
        require(training.Optimizer.Lr > 0, $"{key}:optimizer:lr", "expected a positive learning rate");
        require(training.Optimizer.WeightDecay >= 0, $"{key}:optimizer:weightDecay", "expected a non-negative weight decay");
        oneOf(training.Schedule.Type, LearningRateSchedule.Types, $"{key}:schedule:type");
        require(training.Schedule.WarmupSteps >= 0, $"{key}:schedule:warmupSteps", "expected 0 or more steps");
    }
}
