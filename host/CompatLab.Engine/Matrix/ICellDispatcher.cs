namespace CompatLab.Engine.Matrix;

/// <summary>Runs a matrix's cells (in this process, in local worker processes, or on Slurm) and reports each outcome.</summary>
public interface ICellDispatcher
{
    IReadOnlyList<CellOutcome> Run(IReadOnlyList<Runs.ResolvedExperiment> cells, CancellationToken cancel);
}
