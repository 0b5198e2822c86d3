using CompatLab.Abstractions.Data;
using CompatLab.Engine.Data;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// What an open-set run trains and evaluates on: the old and new models' training data (training classes only)
/// and the query and gallery sets, whose classes training never sees. Query and gallery sets cut from the test set
/// are owned here; those the dataset named belong to the dataset.
/// </summary>
internal sealed class OpenSetData : IDisposable
{
    private readonly bool ownsSets;

    public OpenSetData(StageData old, StageData @new, ISampleSet query, ISampleSet gallery, bool ownsSets, string origin)
    {
        Old = old;
        New = @new;
        Query = query;
        Gallery = gallery;
        this.ownsSets = ownsSets;
        Origin = origin;
    }

    public StageData Old { get; }

    public StageData New { get; }

    public ISampleSet Query { get; }

    public ISampleSet Gallery { get; }

    /// <summary>True when the query and gallery sets are the same images, so a query's own image leaves its ranking.</summary>
    public bool SameImages => ReferenceEquals(Query, Gallery);

    /// <summary>Where the query and gallery came from, for the run log.</summary>
    public string Origin { get; }

    public void Dispose()
    {
        Old.Dispose();
        New.Dispose();
        if (ownsSets)
        {
            Query.Dispose();
            Gallery.Dispose();
        }
    }
}
