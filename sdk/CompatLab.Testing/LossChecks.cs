using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>The checks for a compatibility loss.</summary>
internal static class LossChecks
{
    public static void Run(CheckRunner runner, PluginFactory factory, ConformanceSettings settings)
    {
        runner.Run("gradients flow and are finite", () => Gradients(factory, settings));
        runner.Run("a seeded run repeats exactly", () => Repeats(factory, settings));
        using (var session = new LossSession(factory, settings, CPU))
        {
            TensorLeakCheck.Run(runner, settings.LeakSteps, () => session.TrainStep());
        }

        runner.RunOnDevice(settings, device => FollowsDevice(factory, settings, device));
        BadOptionsCheck.Run(runner, factory, settings, overrides =>
        {
            using var session = new LossSession(factory, settings, CPU, overrides);
            session.TrainStep();
        });
        if (!settings.IsBaseline)
        {
            runner.Run("differs from the baseline (a compatibility term that is not zero)", () => DiffersFromBaseline(factory, settings));
        }
    }

    private static void Gradients(PluginFactory factory, ConformanceSettings settings)
    {
        using var session = new LossSession(factory, settings, CPU);
        for (int i = 0; i < settings.RepeatSteps; i++)
        {
            session.Step((batch, value) =>
            {
                TensorExpect.Shape(value, [], "the loss");
                TensorExpect.Finite(value, "the loss");
                if (!value.requires_grad)
                {
                    return; // a constant (the baseline); the difference check catches a loss that should not be one
                }

                value.backward();
                ConformanceViolation.Unless(batch.NewEmbeddings.grad is not null || batch.NewClassifierWeight?.grad is not null,
                    "the loss reaches neither the new embeddings nor the new classifier: no gradient flows to the new model.");
                foreach (var (leaf, name) in new[] { (batch.NewEmbeddings, "new embeddings"), (batch.NewClassifierWeight!, "new classifier weight") })
                {
                    if (leaf.grad is { } grad)
                    {
                        TensorExpect.Finite(grad, $"the gradient of the {name}");
                    }
                }
            });
        }
    }

    private static void Repeats(PluginFactory factory, ConformanceSettings settings)
    {
        double[] Values()
        {
            using var session = new LossSession(factory, settings, CPU);
            return Enumerable.Range(0, settings.RepeatSteps).Select(_ => session.TrainStep()).ToArray();
        }

        double[] first = Values();
        double[] second = Values();
        ConformanceViolation.Unless(first.SequenceEqual(second),
            $"two runs with the same seed gave different losses: [{string.Join(", ", first)}] and [{string.Join(", ", second)}].");
    }

    private static void FollowsDevice(PluginFactory factory, ConformanceSettings settings, Device device)
    {
        using var session = new LossSession(factory, settings, device);
        for (int i = 0; i < settings.RepeatSteps; i++)
        {
            session.Step((_, value) => TensorExpect.OnDevice(value, device, "the loss"));
        }
    }

    private static void DiffersFromBaseline(PluginFactory factory, ConformanceSettings settings)
    {
        using var session = new LossSession(factory, settings, CPU);
        bool differs = false;
        for (int i = 0; i < settings.RepeatSteps; i++)
        {
            session.Step((batch, value) =>
            {
                if (value.requires_grad)
                {
                    value.backward();
                }

                differs |= value.abs().item<float>() > 0
                    || (batch.NewEmbeddings.grad is { } grad && grad.abs().max().item<float>() > 0);
            });
        }

        ConformanceViolation.Unless(differs,
            $"over {settings.RepeatSteps} batches the loss and its gradient were always zero, as the 'independent' baseline; if that is intended, set IsBaseline.");
    }
}
