using CompatLab.Engine.Configuration;
using CompatLab.Engine.Matrix;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runs;

namespace CompatLab.Cli;

/// <summary>An experiment file loaded for a command: its cells resolved against the loaded plugins.</summary>
public sealed class ExperimentSession : IDisposable
{
    private ExperimentSession(string file, PluginCatalog catalog, IReadOnlyList<ResolvedExperiment> experiments, bool isMatrix)
    {
        IsMatrix = isMatrix;
        File = file;
        Catalog = catalog;
        Experiments = experiments;
    }

    public string File { get; }

    /// <summary>The file has a matrix section (even one that expands to a single cell, such as a one-seed preset).</summary>
    public bool IsMatrix { get; }

    public PluginCatalog Catalog { get; }

    public IReadOnlyList<ResolvedExperiment> Experiments { get; }

    public static ExperimentSession Open(string file, CliArguments arguments)
    {
        var document = ExperimentDocument.Load(file);
        var sets = document.ApplyMatrixOverrides(arguments.Sets);
        var cells = MatrixExpander.Expand(document);
        var spec = ExperimentResolver.BindSpec(document.CloneContent(), document.Provenance, sets, environment: null, strict: false);
        // Before any tensor: the libtorch follows the device (a CUDA one for cuda), and it cannot change later.
        Engine.Runtime.RuntimeSetup.Prepare(spec.Device, spec.Runtime);
        var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(spec.Plugins.Directories).Concat(arguments.PluginDirectories));
        try
        {
            var resolver = new ExperimentResolver(catalog);
            var experiments = cells.Select(c => resolver.Resolve(c.Content, document.Provenance, sets, environment: null, c.Label)).ToList();
            return new ExperimentSession(file, catalog, experiments, document.Matrix is not null);
        }
        catch
        {
            catalog.Dispose();
            throw;
        }
    }

    public void Dispose() => Catalog.Dispose();
}
