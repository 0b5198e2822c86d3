namespace CompatLab.Engine.Tracking;

/// <summary>A tracker that keeps its metric points in a journal it can cut back when a stage resumes.</summary>
public interface IMetricJournal
{
    /// <summary>Drops the points a resumed stage logged after its checkpoint (see <see cref="MetricJournal.CutBack"/>).</summary>
    /// <returns>How many points were dropped.</returns>
    int CutBack(string stage, long step);
}
