namespace CompatLab.Plugins.Datasets.Sampling;

/// <summary>
/// Independent random streams drawn from one seed, so that changing one part of a dataset (say the number of
/// training samples) leaves the others (the class templates, the test set) exactly as they were.
/// </summary>
internal enum RandomStream
{
    TrainSubset = 1,
    TestSubset = 2,
    Templates = 3,
    TrainSamples = 4,
    TestSamples = 5,
}
