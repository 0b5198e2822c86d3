using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Plugins;
using CompatLab.Testing;
using CompatLab.Tests.Images;
using CompatLab.Tests.Support;

namespace CompatLab.Tests.Conformance;

/// <summary>
/// What the kit feeds each built-in. Defaults are tiny; the exceptions are listed here with the reason.
/// Reduced: the torchvision-layout trunks (ResNets, MobileNets, ViT presets) take two leak steps instead of 100 and
/// a batch of 2 at their 32-pixel minimum. One of their steps costs seconds on a 2-core machine (100 steps of
/// ResNet-18 took 2.5 minutes), and they are built from the same maskable layers, norms and activations as the small
/// trunks (cnn4, resnet-mini, cifar-resnet18, a one-layer vit), which are checked over the full 100 steps.
/// The largest (ResNet-50/101, ViT-B/16) are also built only once, skipping the seeded-repeat check that needs a
/// second build (several seconds each); ResNet-18/34 and ViT-T/16, S/16 run the same construction code and are
/// repeat-checked.
/// </summary>
internal static class BuiltInConformanceSettings
{
    private static readonly HashSet<string> BigTrunks = ["resnet50", "resnet101", "vit-b-16"];

    private static readonly HashSet<string> SmallTrunks = ["cnn4", "resnet-mini", "cifar-resnet18", "vit"];

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

    // The sum makes its terms through the host's loss factory, over the built-ins as the CLI loads them.
    private static readonly Lazy<PluginCatalog> Catalog = new(BuiltInPlugins.Load);

    private static ConformanceSettings Loss(string name) => name switch
    {
        "independent" => new ConformanceSettings { IsBaseline = true },
        "sum" => new ConformanceSettings { Services = [new LossTermFactory(Catalog.Value)] },

        // Refresh every 5 steps so the seeded-repeat check (6 steps) covers a refresh of the prototypes.
        "ndpp" => new ConformanceSettings
        {
            RepeatSteps = 6,
            Options = Options(true, ("refreshInterval", 5L), ("neighbours", 2)),
            BadOptions = Options(true, ("refreshInterval", 0L), ("neighbours", 0)),
        },
        "odpp" => new ConformanceSettings
        {
            RepeatSteps = 6,
            Options = Options(true, ("refreshInterval", 5L), ("bankSize", 64L), ("steps", 2)),
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
            "vit" => Options(true, ("patchSize", 4), ("layers", 1), ("heads", 2), ("hiddenDim", 8), ("mlpDim", 16)),
            _ => Options(false),
        };
        var bad = name switch
        {
            "cnn4" or "cifar-resnet18" => Options(true, ("widths", new[] { 4, 0, 8, 8 })),
            "resnet-mini" => Options(true, ("widths", new[] { 4, 0, 8 })),
            "vit" => Options(true, ("heads", 0), ("inputChannels", 0)),
            _ => Options(true, ("inputChannels", 0)),
        };
        bool small = SmallTrunks.Contains(name);
        return new ConformanceSettings
        {
            Options = options,
            BadOptions = bad,
            LeakSteps = small ? 100 : 2,
            BatchSize = small ? 4 : 2,
            InputSide = small ? 8 : 32,
            RepeatSteps = 1,
            SingleBuild = BigTrunks.Contains(name),
        };
    }

    private static ConformanceSettings Dataset(string name, string scratch)
    {
        if (name == "synthetic")
        {
            return new ConformanceSettings
            {
                // Two clusters, so that clusterSpread is in use and the kit's NaN for it must be refused.
                Options = Options(true, ("classes", 4), ("trainPerClass", 3), ("testPerClass", 2), ("size", 8), ("clusters", 2)),
                BadOptions = Options(true, ("classes", 0), ("size", 0)),
            };
        }

        if (name is "image-folder" or "image-list")
        {
            string root = Path.Combine(scratch, "images");
            (string Key, object? Value) source = name == "image-folder"
                ? ("root", WrittenFolder(root))
                : ("list", TinyImageData.WriteList(root));
            return new ConformanceSettings
            {
                Options = Options(true, source, ("imageSize", 8), ("workers", 1)),
                BadOptions = Options(true, ("imageSize", 0), ("testFraction", 1.5)),
                LeakSteps = 20,
            };
        }

        // idx and fashion-mnist read the same tiny IDX files written into the scratch folder.
        var files = TinyIdxFiles.Write(scratch);
        var options = name == "fashion-mnist"
            ? Options(true, ("root", scratch), ("trainImages", files.TrainImages), ("trainLabels", files.TrainLabels), ("testImages", files.TestImages), ("testLabels", files.TestLabels))
            : Options(true, ("trainImages", files.TrainImages), ("trainLabels", files.TrainLabels), ("testImages", files.TestImages), ("testLabels", files.TestLabels));
        return new ConformanceSettings { Options = options, BadOptions = Options(true, ("trainLimit", -1L)), LeakSteps = 20 };
    }

    private static string WrittenFolder(string root)
    {
        TinyImageData.WriteFolder(root);
        return root;
    }

    private static Dictionary<string, object?> Options(bool when, params (string Key, object? Value)[] values) =>
        when ? values.ToDictionary(v => v.Key, v => v.Value) : [];
}
