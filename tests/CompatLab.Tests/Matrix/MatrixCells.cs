using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;

namespace CompatLab.Tests.Matrix;

/// <summary>
/// Matrix cells for dispatch tests: one tiny experiment resolved on the CPU, relabelled and given another device.
/// (A cuda experiment cannot be resolved on a machine without CUDA, and the dispatchers read only label and spec.)
/// </summary>
internal static class MatrixCells
{
    private static readonly Lazy<ResolvedExperiment> Tiny = new(() =>
    {
        using var scratch = new ScratchFolder();
        var document = ExperimentDocument.Load(scratch.File("e.json", TinyExperiment.Json()));
        using var catalog = BuiltInPlugins.Load();
        return new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, [], new Dictionary<string, string>(), "run");
    });

    public static ResolvedExperiment Cell(string label, string device, string output = "runs") =>
        Tiny.Value with { Label = label, Spec = new ExperimentSpec { Name = "m", Device = device, Output = output } };

    public static IReadOnlyList<ResolvedExperiment> Cells(params string[] devices) =>
        devices.Select((d, i) => Cell($"c{i}", d)).ToList();
}
