using CompatLab.Abstractions.Plugins;
using CompatLab.Testing;

namespace CompatLab.Tests.Conformance;

/// <summary>
/// What the kit feeds each built-in. Defaults are tiny; the exceptions are listed here with the reason. Big trunks
/// (ResNet-50/101, ViT-B/16, ViT-S/16) take two leak steps instead of 100 and a batch of 2: one step of each costs
/// about as much as all the cheap plugins together, and their layers are the same modules the small trunks (checked
/// over 100 steps) are built from.
/// </summary>
internal static class BuiltInConformanceSettings
{
    private static readonly HashSet<string> BigBackbones = ["resnet50", "resnet101", "vit-b-16", "vit-s-16"];

    public static ConformanceSettings For(PluginKind kind, string name, string scratch) => kind switch
    {
        PluginKind.CompatibilityLoss => Loss(name),
        PluginKind.Backbone => Backbone(name),
        PluginKind.GradientIntegrator => new ConformanceSettings(),
        PluginKind.PruningCriterion => new ConformanceSettings { BadOptions = Options(name == "taylor", ("batches", 0)) },
        PluginKind.Dataset => Dataset(name, scratch),
        PluginKind.Tracker => new ConformanceSettings
        {
            Options = new Dictionary<string, object?> { ["trackingUri"] = Path.Combine(scratch, "mlruns") },
            BadOptions = Options(true, ("maxRetries", -1)),
            WorkingFolder = scratch,
        },
        _ => new ConformanceSettings(),
    };

    private static ConformanceSettings Loss(string name) => name switch
    {
        "independent" => new ConformanceSettings { IsBaseline = true },

        // Refresh every 2 steps so the seeded-repeat check (3 steps) covers a refresh of the prototypes.
        "ndpp" => new ConformanceSettings
        {
            Options = Options(true, ("refreshInterval", 2L), ("neighbours", 2)),
            BadOptions = Options(true, ("refreshInterval", 0L), ("neighbours", 0)),
        },
        "odpp" => new ConformanceSettings
        {
            Options = Options(true, ("refreshInterval", 2L), ("bankSize", 64L), ("steps", 2)),
            BadOptions = Options(true, ("refreshInterval", 0L), ("bankSize", 0L), ("steps", 0)),
        },
        _ => new ConformanceSettings(),
    };

    private static ConformanceSettings Backbone(string name)
    {
        var options = name switch
        {
            "cnn4" => Options(true, ("widths", new[] { 4, 4, 8, 8 })),
            "resnet-mini" => Options(true, ("widths", new[] { 4, 8, 8 })),
            "cifar-resnet18" => Options(true, ("widths", new[] { 4, 4, 8, 8 })),
            "vit" => Options(true, ("patchSize", 8), ("layers", 1), ("heads", 2), ("hiddenDim", 8), ("mlpDim", 16)),
            _ => Options(false),
        };
        var bad = name switch
        {
            "cnn4" or "cifar-resnet18" => Options(true, ("widths", new[] { 4, 0, 8, 8 })),
            "resnet-mini" => Options(true, ("widths", new[] { 4, 0, 8 })),
            "vit" => Options(true, ("heads", 0), ("inputChannels", 0)),
            _ => Options(true, ("inputChannels", 0)),
        };
        bool big = BigBackbones.Contains(name);
        return new ConformanceSettings
        {
            Options = options,
            BadOptions = bad,
            LeakSteps = big ? 2 : 100,
            BatchSize = big ? 2 : 4,
            RepeatSteps = 1,
        };
    }

    private static ConformanceSettings Dataset(string name, string scratch)
    {
        if (name == "synthetic")
        {
            return new ConformanceSettings
            {
                Options = Options(true, ("classes", 4), ("trainPerClass", 3), ("testPerClass", 2), ("size", 8)),
                BadOptions = Options(true, ("classes", 0), ("size", 0)),
            };
        }

        // idx and fashion-mnist read the same tiny IDX files written into the scratch folder.
        var files = TinyIdxFiles.Write(scratch);
        var options = name == "fashion-mnist"
            ? Options(true, ("root", scratch), ("trainImages", files.TrainImages), ("trainLabels", files.TrainLabels), ("testImages", files.TestImages), ("testLabels", files.TestLabels))
            : Options(true, ("trainImages", files.TrainImages), ("trainLabels", files.TrainLabels), ("testImages", files.TestImages), ("testLabels", files.TestLabels));
        return new ConformanceSettings { Options = options, BadOptions = Options(true, ("trainLimit", -1L)), LeakSteps = 20 };
    }

    private static Dictionary<string, object?> Options(bool when, params (string Key, object? Value)[] values) =>
        when ? values.ToDictionary(v => v.Key, v => v.Value) : [];
}
