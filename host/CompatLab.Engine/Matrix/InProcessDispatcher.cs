using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>Runs cells one after another in this process. A failing cell is recorded and the next one starts.</summary>
public sealed class InProcessDispatcher : ICellDispatcher
{
    private readonly ExperimentRunner runner;
    private readonly string source;
    private readonly bool force;
    private readonly TextWriter messages;

    public InProcessDispatcher(ExperimentRunner runner, string source, bool force, TextWriter messages)
    {
        this.runner = runner;
        this.source = source;
        this.force = force;
        this.messages = messages;
    }

    public IReadOnlyList<CellOutcome> Run(IReadOnlyList<ResolvedExperiment> cells, CancellationToken cancel)
    {
        var outcomes = new List<CellOutcome>();
        foreach (var cell in cells)
        {
            cancel.ThrowIfCancellationRequested();
            if (!force && Runs.NotReusedNotice.For(cell) is { } notice)
            {
                messages.WriteLine(notice);
            }

            try
            {
                outcomes.Add(new CellOutcome(cell, runner.Run(cell, source, force, cancel), null));
            }
            catch (Exception e) when (cells.Count > 1 && e is not OperationCanceledException)
            {
                outcomes.Add(new CellOutcome(cell, null, e.Message));
                messages.WriteLine($"error: cell {cell.Label} failed: {e.Message}");
            }
        }

        return outcomes;
    }
}
