namespace CompatLab.Plugins.Datasets.Images;

/// <summary>The images of a dataset by path, with class ids in [0, ClassNames.Count) and the name of each class.</summary>
public sealed record ImageIndex(IReadOnlyList<string> ClassNames, IReadOnlyList<ImageSample> Samples);
