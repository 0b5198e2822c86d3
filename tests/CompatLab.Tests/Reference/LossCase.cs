using System.Text.Json.Nodes;
using CompatLab.Abstractions.Losses;
using CompatLab.Tests.Losses;
using Moq;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>One batch of a loss case: labels, raw new and old embeddings, and the new classifier's weight.</summary>
internal sealed record LossStep(long[] Labels, Tensor New, Tensor Old, Tensor Classifier);

/// <summary>
/// One equivalence case for a loss plugin: its options, the old model's class means (and classifier, for bct) and a
/// sequence of batches. The plugin is driven as the trainer drives it (Compute, then OnStepEnd with the completed
/// step count); per step the loss, its gradient with respect to the new embeddings and the new classifier weight,
/// and after refreshes the perturbation delta and the telemetry are compared with the reference's.
/// </summary>
internal sealed class LossCase
{
    public required string Method { get; init; }

    public required string Name { get; init; }

    public Dictionary<string, object>? Options { get; init; }

    public required Tensor ClassMeans { get; init; }

    public Mock<IOldModel>? OldModel { get; init; }

    public required IReadOnlyList<LossStep> Steps { get; init; }

    private string Key => $"{Method}:{Name}";

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["method"] = Method,
            ["name"] = Key,
            ["options"] = ReferenceJson.Options(Options),
            ["classMeans"] = ReferenceJson.Of(ClassMeans),
            ["steps"] = new JsonArray(Steps.Select(s => (JsonNode)new JsonObject
            {
                ["labels"] = ReferenceJson.Longs(s.Labels),
                ["new"] = ReferenceJson.Of(s.New),
                ["old"] = ReferenceJson.Of(s.Old),
                ["classifier"] = ReferenceJson.Of(s.Classifier),
            }).ToArray()),
        };
        if (OldModel?.Object is { } old)
        {
            json["oldClassifier"] = new JsonObject
            {
                ["weight"] = ReferenceJson.Of(old.ClassifierWeight),
                ["bias"] = old.ClassifierBias is { } bias ? ReferenceJson.Of(bias) : null,
                ["classes"] = ReferenceJson.Longs(old.ClassifierClasses.Select(c => (long)c)),
                ["cosine"] = old.CosineClassifier,
                ["scale"] = old.ClassifierScale,
            };
        }

        return json;
    }

    /// <summary>Runs the C# plugin and compares everything it gives with the reference's outputs.</summary>
    public void Compare(ReferenceCheck check)
    {
        var telemetry = new RecordingTelemetry();
        IOldModel old = OldModel?.Object ?? OldModels.Linear(zeros(ClassMeans.shape[0], ClassMeans.shape[1]), null, Enumerable.Range(0, (int)ClassMeans.shape[0]).ToArray()).Object;
        using ICompatibilityLoss loss = LossPlugins.Create(Method, Options);
        loss.Prepare(OldModels.Context(old, ClassMeans, Steps[0].New.shape[1], telemetry));
        for (int k = 0; k < Steps.Count; k++)
        {
            using var scope = NewDisposeScope();
            LossStep step = Steps[k];
            // float32, as in training (the plugins keep float32 state); the reference computes in float64.
            Tensor embeddings = step.New.detach().clone().requires_grad_();
            Tensor classifier = step.Classifier.detach().clone().requires_grad_();
            var batch = new CompatibilityBatch(tensor(step.Labels), embeddings, step.Old.detach().clone(), k, Epoch: 0) { NewClassifierWeight = classifier };
            Tensor value = loss.Compute(batch);
            check.Expect(Key, $"loss_{k}", value);
            Tensor[] grads = value.requires_grad
                ? torch.autograd.grad([value], [embeddings, classifier], allow_unused: true).ToArray()
                : [null!, null!];
            check.Expect(Key, $"grad_new_{k}", grads[0] is null ? zeros_like(embeddings) : grads[0]);
            if (Method == "lce")
            {
                check.Expect(Key, $"grad_classifier_{k}", grads[1] is null ? zeros_like(classifier) : grads[1]);
            }

            int before = telemetry.Reports.Count;
            loss.OnStepEnd(new CompatibilityStepInfo(k + 1, Epoch: 0, TotalSteps: Steps.Count));
            CompareRefresh(check, loss, telemetry.Reports.Skip(before).ToList(), k + 1);
        }
    }

    private void CompareRefresh(ReferenceCheck check, ICompatibilityLoss loss, List<(string Key, double Value, long Step)> reports, int completed)
    {
        if (Method is not ("ndpp" or "odpp"))
        {
            return;
        }

        foreach ((string key, double value, long step) in reports)
        {
            check.Expect(Key, $"{key[(Method.Length + 1)..]}@{step}", value);
        }

        // The reference reports the same statistics, and delta, exactly at the steps where it refreshes.
        check.ExpectKeyCount(Key, $"@{completed}", reports.Count == 0 ? 0 : reports.Count + 1);
        if (reports.Count > 0)
        {
            check.Expect(Key, $"delta@{completed}", loss.SaveState()["delta"]);
        }
    }
}
