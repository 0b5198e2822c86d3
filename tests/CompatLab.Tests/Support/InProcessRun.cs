using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runs;

namespace CompatLab.Tests.Support;

/// <summary>Resolves an experiment file against the built-in plugins (and those it names) and runs it in this process.</summary>
internal sealed class InProcessRun : IDisposable
{
    private InProcessRun(PluginCatalog catalog, ResolvedExperiment experiment, string file)
    {
        Catalog = catalog;
        Experiment = experiment;
        File = file;
    }

    public PluginCatalog Catalog { get; }

    public ResolvedExperiment Experiment { get; }

    public string File { get; }

    public StringWriter Messages { get; } = new();

    public static InProcessRun Open(string file, params string[] sets)
    {
        var document = ExperimentDocument.Load(file);
        var spec = ExperimentResolver.BindSpec(document.CloneContent(), document.Provenance, sets, new Dictionary<string, string>());
        var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(spec.Plugins.Directories));
        var experiment = new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, sets, new Dictionary<string, string>(), "run");
        return new InProcessRun(catalog, experiment, file);
    }

    public RunResult Run(CancellationToken cancel = default) =>
        new ExperimentRunner(Catalog, Messages).Run(Experiment, File, force: false, cancel);

    public void Dispose()
    {
        Messages.Dispose();
        Catalog.Dispose();
    }
}
