namespace CompatLab.Plugins.Datasets.Idx;

/// <summary>
/// The four IDX files of a dataset as configured, and what to tell the user when one is missing
/// (empty when there is nothing more useful to say than the path).
/// </summary>
internal sealed record IdxSources(
    string TrainImages,
    string TrainLabels,
    string TestImages,
    string TestLabels,
    string MissingFileHint);
