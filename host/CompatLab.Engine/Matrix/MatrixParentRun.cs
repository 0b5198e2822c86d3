using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Reproducibility;
using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// A matrix as a run of its own in the trackers: started before the first cell so every cell's run can name it as
/// its parent (cells in worker processes and Slurm jobs find it through <see cref="FolderFor"/>, which they compute
/// the same way), and finished with the matrix summary as its artifacts. A tracker that fails here is reported and
/// left out; the matrix runs anyway.
/// </summary>
public sealed class MatrixParentRun : IDisposable
{
    private static readonly string[] SummaryFiles = ["summary.md", "summary.csv", "summary.json", "summary.png", "summary-by-setting.png", "summary-capacity.png"];
    private readonly List<IExperimentTracker> trackers;
    private readonly TextWriter warnings;

    private MatrixParentRun(List<IExperimentTracker> trackers, TextWriter warnings)
    {
        this.trackers = trackers;
        this.warnings = warnings;
    }

    /// <summary>Where the matrix run keeps its trackers' bookkeeping: one folder per set of cells (their content hashes).</summary>
    public static string FolderFor(string matrixFolder, IReadOnlyList<ResolvedExperiment> cells) =>
        Path.GetFullPath(Path.Combine(matrixFolder, ".matrix-run", Key(cells)));

    public static MatrixParentRun Start(PluginCatalog catalog, IReadOnlyList<ResolvedExperiment> cells, string matrixFolder, string source, TextWriter warnings)
    {
        var first = cells[0];
        string key = Key(cells);
        var tags = new Dictionary<string, string>
        {
            ["compatlab.matrix_cells"] = cells.Count.ToString(CultureInfo.InvariantCulture),
            ["compatlab.source"] = source,
        };
        SourceTags.Add(tags, GitRepository.Containing(source), source);
        var run = new TrackedRun(first.Spec.Name, $"matrix-{key}", $"matrix-{key}", FolderFor(matrixFolder, cells), tags);
        var started = new List<IExperimentTracker>();
        foreach (var plugin in first.Trackers)
        {
            IExperimentTracker? tracker = null;
            try
            {
                tracker = (IExperimentTracker)catalog.Create(plugin.Descriptor, plugin.Options);
                tracker.StartRun(run);
                started.Add(tracker);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                tracker?.Dispose();
                warnings.WriteLine($"warning: tracker {plugin.Descriptor.Name} could not start the matrix run: {e.Message}");
            }
        }

        return new MatrixParentRun(started, warnings);
    }

    /// <summary>Logs the summary files found in <paramref name="matrixFolder"/> and ends the run.</summary>
    public void Finish(string matrixFolder, RunStatus status)
    {
        foreach (var tracker in trackers)
        {
            try
            {
                foreach (string name in SummaryFiles.Where(n => File.Exists(Path.Combine(matrixFolder, n))))
                {
                    tracker.LogArtifact(Path.Combine(matrixFolder, name), name);
                }

                tracker.EndRun(status);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                warnings.WriteLine($"warning: tracker {tracker.GetType().Name} could not finish the matrix run: {e.Message}");
            }
        }
    }

    public void Dispose()
    {
        foreach (var tracker in trackers)
        {
            tracker.Dispose();
        }
    }

    private static string Key(IReadOnlyList<ResolvedExperiment> cells) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", cells.Select(e => e.ContentHash)))))[..12];
}
